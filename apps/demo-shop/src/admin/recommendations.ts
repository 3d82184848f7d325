/** The shop's non-essential page: nice to have, and the first thing a degraded shop turns off. */
export const RECOMMENDATIONS = [
  { eventId: 'concert', title: 'Open-air concert' },
  { eventId: 'recital', title: 'Piano recital' },
  { eventId: 'festival', title: 'Summer festival' },
] as const;

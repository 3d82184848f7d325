/** Plain HTML, inline CSS: one small response, cacheable by a CDN, for millions of visitors. */
export function waitingRoomHtml(room: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waiting room · ${room}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; display: grid; place-items: center; min-height: 100vh; background: Canvas; color: CanvasText; }
  main { max-width: 32rem; padding: 2rem; text-align: center; }
  h1 { font-size: 1.5rem; }
  dl { display: grid; grid-template-columns: auto auto; gap: .5rem 1rem; justify-content: center; margin: 1.5rem 0; }
  dt { text-align: right; opacity: .8; }
  dd { margin: 0; text-align: left; font-weight: 700; font-variant-numeric: tabular-nums; }
  .big { font-size: 2.5rem; }
  progress { width: 100%; height: 1rem; }
  .note { font-size: .9rem; opacity: .8; }
  button { font: inherit; padding: .5rem 1rem; }
</style>
</head>
<body data-room="${room}">
<main>
  <h1>You are in line for <span id="room-name">${room}</span></h1>
  <p id="status" role="status" aria-live="polite">Joining the line…</p>
  <dl>
    <dt id="position-label">Your place in line</dt><dd class="big" id="position" aria-labelledby="position-label">–</dd>
    <dt id="ahead-label">People ahead of you</dt><dd id="ahead" aria-labelledby="ahead-label">–</dd>
    <dt id="eta-label">Estimated wait</dt><dd id="eta" aria-labelledby="eta-label">–</dd>
  </dl>
  <label for="progress" class="note">Progress through the line</label>
  <progress id="progress" max="100" value="0"></progress>
  <p class="note">Keep this page open: it updates by itself, and you will be taken to the sale when it is your turn. Leaving for more than a minute gives up your place.</p>
  <p><button id="leave" type="button">Leave the line</button></p>
</main>
<script src="/rooms/assets/waiting-room.js" defer></script>
</body>
</html>`;
}

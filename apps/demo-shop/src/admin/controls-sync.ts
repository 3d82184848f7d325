import type { AdminStore } from './admin-store';
import type { ShopControls } from './shop-controls';

/**
 * Brings this copy's controls in line with the shared store every `intervalMs`: a change made through another copy
 * reaches this one within that time. A failed read keeps the last values, so a database blip sheds no differently.
 */
export function startControlsSync(
  store: AdminStore,
  controls: ShopControls,
  intervalMs: number,
  onError: (error: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    store
      .values()
      .then((values) => controls.sync(values))
      .catch(onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

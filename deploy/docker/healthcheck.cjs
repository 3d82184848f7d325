'use strict';
// Docker HEALTHCHECK probe: liveness only, so a slow dependency never gets a healthy process restarted.
// The image has no curl or wget; Node's own fetch keeps the runtime layer free of extra packages.
const port = process.env.PORT || '8080';
const timeout = AbortSignal.timeout(2500);
fetch(`http://127.0.0.1:${port}/health/live`, { signal: timeout })
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));

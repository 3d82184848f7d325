import { JOIN_CHALLENGE_SOLVER_JS } from './join-challenge-solver.script';

/**
 * The page's script (the join challenge's worker aside), ES5 so it runs on old phones. It shows the best position ever seen (positions never go
 * backwards on screen) and keeps the ETA's upper bound from creeping up: it may rise only on a real change,
 * more than half again, such as a capacity cut. The visitor's identity is the queue's HttpOnly cookie, which the
 * script never sees: every call is same-origin with credentials, so a reload keeps the place.
 */
export const WAITING_ROOM_JS = `${JOIN_CHALLENGE_SOLVER_JS}
(function () {
  var room = document.body.getAttribute('data-room');
  var base = '/v1/rooms/' + encodeURIComponent(room);
  var el = function (id) { return document.getElementById(id); };
  var ticketId = null, firstPosition = null, bestPosition = Infinity, shownHigh = null, shownAt = 0, pollTimer = null, source = null, done = false;

  function say(text) { el('status').textContent = text; }
  function minutes(s) { return s < 60 ? 'under a minute' : Math.round(s / 60) + ' min'; }

  function showEta(range) {
    if (!range) { el('eta').textContent = 'calculating…'; return; }
    var elapsed = (Date.now() - shownAt) / 1000;
    var high = range.highSeconds;
    if (shownHigh !== null) {
      var previous = Math.max(0, shownHigh - elapsed);
      if (high > previous && high < previous * 1.5 + 30) high = Math.max(previous, range.lowSeconds);
    }
    shownHigh = high; shownAt = Date.now();
    var low = Math.min(range.lowSeconds, high);
    el('eta').textContent = high < 60 ? 'under a minute' : minutes(low) + ' – ' + minutes(high);
  }

  function render(view) {
    if (done) return;
    if (view.status === 'admitted') return admitted(view);
    if (view.status === 'prequeue') {
      say('The sale has not opened yet. Everyone who arrives before it opens gets a random place at opening.');
      el('position').textContent = 'at opening';
      showEta(view.etaRange);
      return;
    }
    if (view.position !== null && view.position < bestPosition) bestPosition = view.position;
    if (firstPosition === null) firstPosition = bestPosition;
    el('position').textContent = String(bestPosition);
    el('ahead').textContent = String(Math.max(0, bestPosition - 1));
    el('progress').value = firstPosition > 1 ? Math.round((100 * (firstPosition - bestPosition)) / (firstPosition - 1)) : 100;
    showEta(view.etaRange);
    say('You are number ' + bestPosition + ' in line.');
  }

  function admitted(view) {
    done = true;
    if (source) source.close();
    if (pollTimer) clearTimeout(pollTimer);
    el('position').textContent = '0';
    el('ahead').textContent = '0';
    el('progress').value = 100;
    el('eta').textContent = 'now';
    if (view.redirectUrl) {
      say('It is your turn! Taking you to the sale…');
      var sep = view.redirectUrl.indexOf('?') === -1 ? '?' : '&';
      location.assign(view.redirectUrl + sep + 'token=' + encodeURIComponent(view.token));
    } else {
      say('It is your turn! Your admission token is ready.');
    }
  }

  function gone() {
    done = true;
    if (source) source.close();
    say('Your place in line expired. Reload the page to join again.');
  }

  function restoring() {
    say('The waiting room is being restored, one moment…');
  }

  function poll() {
    fetch(base + '/tickets/' + ticketId, { cache: 'no-store', credentials: 'same-origin' }).then(function (r) {
      if (r.status === 410 || r.status === 404) return gone();
      if (r.status === 503) return restoring();
      return r.json().then(render);
    }).catch(function () { say('Connection lost, retrying… you keep your place.'); })
      .then(function () { if (!done) pollTimer = setTimeout(poll, 3000); });
  }

  function listen() {
    if (!window.EventSource) return poll();
    source = new EventSource(base + '/tickets/' + ticketId + '/events');
    source.addEventListener('status', function (e) { render(JSON.parse(e.data)); });
    source.addEventListener('admitted', function (e) { render(JSON.parse(e.data)); });
    source.addEventListener('gone', function () { gone(); });
    source.addEventListener('unavailable', function () { restoring(); });
    source.onerror = function () {
      if (done || source.readyState !== EventSource.CLOSED) return;
      poll();
    };
  }

  el('leave').addEventListener('click', function () {
    if (!ticketId) return;
    done = true;
    if (source) source.close();
    fetch(base + '/tickets/' + ticketId, { method: 'DELETE', credentials: 'same-origin' }).then(function () { say('You left the line.'); });
  });

  function join(proof) {
    return fetch(base + '/join', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(proof || {}) })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body, status: r.status }; }); });
  }

  // The join gate: only a room that asks gets the work, and a visitor already in line is let back without it.
  function solveThenJoin() {
    say('Checking your browser before you join…');
    return fetch(base + '/challenge', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (issued) {
        if (!issued.required) return join();
        return solve(issued.challenge, issued.difficulty).then(function (solution) {
          return join({ challenge: issued.challenge, solution: solution });
        });
      });
  }

  function solve(challenge, difficulty) {
    var expected = Math.pow(2, difficulty), started = Date.now();
    function progress(tried) {
      el('progress').value = Math.min(99, Math.round(100 * (1 - Math.exp(-tried / expected))));
      say('Checking your browser before you join… ' + el('progress').value + '%');
    }
    function solved(solution, tried, resolve) {
      document.body.setAttribute('data-join-challenge-ms', String(Date.now() - started));
      document.body.setAttribute('data-join-challenge-tries', String(tried));
      resolve(solution);
    }
    return new Promise(function (resolve) {
      // Without workers (or if one cannot start) the page solves in slices, so it keeps responding.
      function inSlices() {
        var solver = joinChallengeSolver(challenge, difficulty);
        (function slice() {
          var found = solver.run(4096);
          if (found !== null) return solved(found, solver.tried(), resolve);
          progress(solver.tried());
          setTimeout(slice, 0);
        })();
      }
      if (!window.Worker) return inSlices();
      var worker = new Worker('/rooms/assets/join-challenge.worker.js');
      worker.onerror = function () { worker.terminate(); inSlices(); };
      worker.onmessage = function (e) {
        if (e.data.solution === undefined) return progress(e.data.tried);
        worker.terminate();
        solved(e.data.solution, e.data.tried, resolve);
      };
      worker.postMessage({ challenge: challenge, difficulty: difficulty });
    });
  }

  join()
    .then(function (res) { return res.status === 403 && res.body.error === 'join_challenge_refused' ? solveThenJoin() : res; })
    .then(function (res) {
      if (!res.ok) return say(res.status === 409 ? 'This sale is closed right now.' : res.status === 429 ? 'Too many attempts, please wait a moment and reload.' : res.status === 503 ? 'The waiting room is being restored, please reload in a few seconds.' : 'Could not join: ' + res.body.message);
      ticketId = res.body.ticketId;
      render(res.body);
      if (!done) listen();
    })
    .catch(function () { say('Could not reach the waiting room. Reload to try again.'); });
})();
`;

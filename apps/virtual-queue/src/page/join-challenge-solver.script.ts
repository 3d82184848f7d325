/**
 * The join challenge's solver for browsers, ES5 like the rest of the page: SHA-256 in plain JavaScript, because
 * Web Crypto is missing outside secure contexts and costs a promise per hash. The challenge's whole 64-byte
 * blocks are hashed once (the midstate); each try hashes only the last block or two, with the counter in it.
 * `joinChallengeSolver(challenge, difficulty).run(tries)` returns the solving counter, or null to be called again.
 */
export const JOIN_CHALLENGE_SOLVER_JS = `function joinChallengeSolver(challenge, difficulty) {
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  var W = new Int32Array(64);
  function compress(H, bytes, at) {
    var i, a, b, c, d, e, f, g, h, s0, s1, t1, t2;
    for (i = 0; i < 16; i++) W[i] = (bytes[at + 4 * i] << 24) | (bytes[at + 4 * i + 1] << 16) | (bytes[at + 4 * i + 2] << 8) | bytes[at + 4 * i + 3];
    for (i = 16; i < 64; i++) {
      a = W[i - 15]; b = W[i - 2];
      s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    a = H[0]; b = H[1]; c = H[2]; d = H[3]; e = H[4]; f = H[5]; g = H[6]; h = H[7];
    for (i = 0; i < 64; i++) {
      s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
  }
  function zeroBits(H) {
    var bits = 0, i, word;
    for (i = 0; i < 8; i++) {
      word = H[i] >>> 0;
      if (word === 0) { bits += 32; continue; }
      while ((word & 0x80000000) === 0) { bits++; word = word << 1; }
      return bits;
    }
    return bits;
  }
  // The challenge is base64url and dots: one byte per character.
  var bytes = new Uint8Array(challenge.length), i;
  for (i = 0; i < challenge.length; i++) bytes[i] = challenge.charCodeAt(i);
  var mid = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  var whole = bytes.length - (bytes.length % 64);
  for (i = 0; i < whole; i += 64) compress(mid, bytes, i);
  var rest = bytes.length - whole;
  var tail = new Uint8Array(128);
  for (i = 0; i < rest; i++) tail[i] = bytes[whole + i];
  var H = new Int32Array(8);
  var counter = 0;
  function attempt(n) {
    var digits = String(n), j, end = rest + digits.length, blocks = end + 9 > 64 ? 2 : 1, bitLength = (bytes.length + digits.length) * 8;
    for (j = 0; j < digits.length; j++) tail[rest + j] = digits.charCodeAt(j);
    tail[end] = 0x80;
    for (j = end + 1; j < blocks * 64 - 4; j++) tail[j] = 0;
    tail[blocks * 64 - 4] = bitLength >>> 24; tail[blocks * 64 - 3] = (bitLength >>> 16) & 255;
    tail[blocks * 64 - 2] = (bitLength >>> 8) & 255; tail[blocks * 64 - 1] = bitLength & 255;
    H.set(mid);
    compress(H, tail, 0);
    if (blocks === 2) compress(H, tail, 64);
    return zeroBits(H) >= difficulty;
  }
  return {
    tried: function () { return counter; },
    run: function (tries) {
      for (var stop = counter + tries; counter < stop; counter++) if (attempt(counter)) return String(counter++);
      return null;
    }
  };
}
`;

/**
 * The Web Worker that solves a join challenge off the page's thread: `{challenge, difficulty}` in; `{tried}` now
 * and then, then `{solution, tried, ms}` out.
 */
export const JOIN_CHALLENGE_WORKER_JS = `${JOIN_CHALLENGE_SOLVER_JS}
self.onmessage = function (event) {
  var started = Date.now(), solver = joinChallengeSolver(event.data.challenge, event.data.difficulty), solution = null;
  while (solution === null) {
    solution = solver.run(16384);
    if (solution === null) self.postMessage({ tried: solver.tried() });
  }
  self.postMessage({ solution: solution, tried: solver.tried(), ms: Date.now() - started });
};
`;

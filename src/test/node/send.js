// Sends COUNT records {"seq": i, "msg": "node-<i>", "lang": "node"} with the npm fluent-logger
// client, each with requireAckResponse, then exits 0 once every emit was acknowledged.
// Usage: node send.js HOST PORT TAG COUNT [SHARED_KEY]
'use strict';
const [host, port, tag, count, sharedKey] = process.argv.slice(2);
const options = {
  host: host,
  port: Number(port),
  timeout: 10.0,
  requireAckResponse: true,
  ackResponseTimeout: 10000,
  reconnectInterval: 100,
};
if (sharedKey) {
  options.security = { clientHostname: 'node-client', sharedKey: sharedKey };
}
const logger = require('fluent-logger').createFluentSender(null, options);
let acked = 0;
let failed = false;
const total = Number(count);
const quiet = process.env.QUIET === '1';
logger.on('error', (err) => {
  if (quiet) { failed = true; return; }
  console.error('fluent-logger error:', err && err.message ? err.message : err);
  failed = true;
});
for (let i = 0; i < total; i++) {
  logger.emit(tag, { seq: i, msg: 'node-' + i, lang: 'node' }, (err) => {
    if (err) {
      if (!quiet) console.error('emit failed:', err.message || err);
      failed = true;
    } else {
      acked++;
    }
    if (acked === total || failed) {
      logger.end();
      process.exit(failed ? 1 : 0);
    }
  });
}
setTimeout(() => {
  console.error('timed out with ' + acked + ' of ' + total + ' acked');
  process.exit(2);
}, Number(process.env.SEND_TIMEOUT_MS || 30000)).unref();

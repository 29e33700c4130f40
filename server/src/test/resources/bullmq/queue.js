// Operator actions and counts through BullMQ's own Queue API, as a dashboard does.
//   node queue.js <redis port> <prefix> <queue> <pause | resume | counts | version>
const { Queue } = require('bullmq');
const [, , port, prefix, name, command] = process.argv;
(async () => {
  const q = new Queue(name, { connection: { host: '127.0.0.1', port: Number(port) }, prefix });
  let out;
  if (command === 'pause') {
    await q.pause();
    out = { paused: await q.isPaused() };
  } else if (command === 'resume') {
    await q.resume();
    out = { paused: await q.isPaused() };
  } else if (command === 'counts') {
    out = await q.getJobCounts();
  } else if (command === 'version') {
    out = { version: await q.getVersion() };
  }
  console.log(JSON.stringify(out));
  await q.close();
})().catch((e) => { console.error(e); process.exit(1); });

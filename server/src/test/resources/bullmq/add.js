// The original batcher's hand-off, for the benchmark: BullMQ's own Queue.add, n jobs, `lanes` at a time.
//   node add.js <redis port> <prefix> <queue> <n> <lanes> <data.json>
// Every job carries the same data as Rapidfire's job for the same batch (read from data.json), so both sides
// write the same bytes.
const { Queue } = require('bullmq');
const [, , port, prefix, name, n, lanes, dataFile] = process.argv;
const data = JSON.parse(require('fs').readFileSync(dataFile, 'utf8'));
(async () => {
  const q = new Queue(name, { connection: { host: '127.0.0.1', port: Number(port) }, prefix });
  await q.waitUntilReady();
  let next = 0;
  const t0 = Date.now();
  const lane = async () => {
    while (next < Number(n)) {
      const i = next++;
      await q.add('process-message', Object.assign({}, data, { from: '+7900' + i }),
        { attempts: 3, backoff: { type: 'exponential', delay: 2000 } });
    }
  };
  await Promise.all(Array.from({ length: Number(lanes) }, lane));
  console.log(JSON.stringify({ ms: Date.now() - t0 }));
  await q.close();
})().catch((e) => { console.error(e); process.exit(1); });

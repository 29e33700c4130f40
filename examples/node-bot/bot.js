// A bot behind Rapidfire with RAPIDFIRE_ON_NEW_MESSAGE=supersede: one answer per thought.
//
// For each batch it (1) starts its "LLM" (here a timer: LLM_MS), (2) stops if Rapidfire goes away meanwhile (the
// person wrote again: Rapidfire aborts the delivery and will send the whole thought as one batch), (3) asks
// Rapidfire whether it may still answer (POST the batch's commitUrl with the sink secret: 200 yes, 409 superseded,
// 404 gone; 425 still typing, 429/5xx/network: ask again), and (4) answers only on 200, once per batchId (a batch
// comes again if its delivery timed out). It answers Rapidfire's request only after that: a 2xx before the commit
// would be the commit. A bot that skips (3) answers the first half of a thought alone and then the whole thought.
//
// Environment: PORT (default 3000), RAPIDFIRE_SINK_SECRET (the same as Rapidfire's; checks X-Rapidfire-Signature and
// authenticates the commit), LLM_MS (default 2000). GET /answers lists what it answered (for the test).
const crypto = require('crypto');
const express = require('express');

const port = Number(process.env.PORT || 3000);
const secret = process.env.RAPIDFIRE_SINK_SECRET || '';
const llmMs = Number(process.env.LLM_MS || 2000);
const answers = [];
const answered = new Set(); // batchIds answered: a redelivery (same Idempotency-Key) is not answered twice
const app = express();
app.use(express.raw({ type: 'application/json', limit: '2mb' }));

function signed(req) {
  if (!secret) return true;
  const want = 'sha256=' + crypto.createHmac('sha256', secret).update(req.body).digest('hex');
  const got = req.get('X-Rapidfire-Signature') || '';
  return got.length === want.length && crypto.timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

// The "LLM": resolves with the answer after llmMs, or early with null when the signal aborts.
function think(batch, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('You said: ' + batch.text), llmMs);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(null); });
  });
}

// POSTs the commit; Rapidfire holds it while the person types. A commit is idempotent: after 425 (still typing),
// 429, 5xx or a network error it is asked again; only 200, 409 and 404 are answers.
async function commit(url) {
  for (let i = 0; i < 10; i++) {
    let r;
    try {
      r = await fetch(url, { method: 'POST', headers: secret ? { Authorization: 'Bearer ' + secret } : {} });
    } catch (e) {
      await new Promise((ok) => setTimeout(ok, 200));
      continue;
    }
    if (r.status === 200 || r.status === 409 || r.status === 404) return r.status;
    await new Promise((ok) => setTimeout(ok, 1000 * Number(r.headers.get('retry-after') || 1)));
  }
  return 0;
}

app.post('/batches', async (req, res) => {
  if (!signed(req)) return res.status(401).send('bad signature');
  const batch = JSON.parse(req.body.toString('utf8'));
  console.log(`batch ${batch.batchId}: thinking about "${batch.text}"`);
  const gone = new AbortController();
  // Rapidfire closes the connection when the batch is superseded: stop the LLM, nothing to answer.
  res.on('close', () => { if (!res.writableEnded) gone.abort(); });
  const answer = await think(batch, gone.signal);
  if (answer === null) return console.log(`batch ${batch.batchId}: superseded while thinking, dropped`);
  const status = batch.commitUrl ? await commit(batch.commitUrl) : 200;
  if (status !== 200 || answered.has(batch.batchId)) {
    console.log(`batch ${batch.batchId}: commit ${status}, answer dropped`);
    return res.status(200).json({ dropped: true });
  }
  answered.add(batch.batchId);
  answers.push({ batchId: batch.batchId, supersedes: batch.supersedes || [], answer });
  console.log(`batch ${batch.batchId}: answered "${answer}"`);
  res.status(200).json({ answered: true });
});

app.get('/answers', (req, res) => res.json(answers));
app.listen(port, '127.0.0.1', () => console.log(`example bot listening on 127.0.0.1:${port}`));

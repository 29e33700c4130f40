// A stock BullMQ Worker, written as the original system's AI worker would be: it takes the job's data as the
// original's batcher shaped it and answers. Prints one JSON line per event for the Java test to read.
//   node worker.js <redis port> <prefix> <queue> <mode: ok | fail | slow | otel>
// otel: answers as ok, with BullMQ's own telemetry (bullmq-otel) on an in-memory OpenTelemetry SDK; after each job it
// prints the spans it made (event 'spans'), so the test can see which span its processing continued.
const { Worker } = require('bullmq');
const [, , port, prefix, queue, mode] = process.argv;
const print = (o) => console.log(JSON.stringify(Object.assign({ at: Date.now() }, o)));
let telemetry;
let finished;
if (mode === 'otel') {
  const { trace, propagation } = require('@opentelemetry/api');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core');
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const { BullMQOtel } = require('bullmq-otel');
  const exporter = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  telemetry = new BullMQOtel({ tracerName: 'ai-worker' });
  finished = () => exporter.getFinishedSpans().map((s) => ({
    name: s.name, kind: s.kind, traceId: s.spanContext().traceId, spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext ? s.parentSpanContext.spanId : (s.parentSpanId || null) }));
}

const worker = new Worker(queue, async (job) => {
  const { from, message, companyId, metadata } = job.data;
  print({ event: 'process', id: job.id, name: job.name, data: job.data, opts: job.opts,
          attemptsMade: job.attemptsMade, from, message, companyId, batchSize: metadata && metadata.batchSize });
  if (mode === 'fail') {
    throw new Error('the AI worker failed on purpose');
  }
  if (mode === 'slow') {
    await new Promise((r) => setTimeout(r, 120000));
  }
  return 'answered ' + from;
}, {
  connection: { host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: null },
  prefix,
  // Short lock and stall check so a killed worker's job comes back within seconds (defaults: 30 s).
  lockDuration: 2000,
  stalledInterval: 1000,
  telemetry,
});
worker.on('ready', () => print({ event: 'ready', version: require('bullmq/package.json').version }));
worker.on('completed', (job) => {
  print({ event: 'completed', id: job.id, attemptsMade: job.attemptsMade });
  if (finished) {
    setTimeout(() => print({ event: 'spans', id: job.id, spans: finished() }), 200); // once the process span ended
  }
});
worker.on('failed', (job, err) => print({ event: 'failed', id: job && job.id, attemptsMade: job && job.attemptsMade,
                                         error: err.message }));
worker.on('error', (err) => print({ event: 'error', error: String(err) }));
process.on('SIGTERM', async () => { await worker.close(); process.exit(0); });

// Reference logits from ONNX Runtime's own JavaScript binding (onnxruntime-node), for the .NET tests.
// stdin:  {"model": "<GenAI folder>", "sequences": [[ids...], ...]}
// stdout: {"version": "...", "logits": [[last-position logits as float32], ...]}
// Each sequence is one full forward pass (batch 1, empty KV cache), so the result is independent of any cache logic.
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const request = JSON.parse(fs.readFileSync(0, 'utf8'));
const config = JSON.parse(fs.readFileSync(path.join(request.model, 'genai_config.json'), 'utf8'));
const session = await ort.InferenceSession.create(path.join(request.model, config.model.decoder.filename));

function halfToFloat(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * Math.pow(2, -14) * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * Math.pow(2, exponent - 15) * (1 + fraction / 1024);
}

function integers(type, values) {
  return type === 'int64'
    ? new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length])
    : new ort.Tensor('int32', Int32Array.from(values), [1, values.length]);
}

const logits = [];
for (const ids of request.sequences) {
  const feeds = {};
  for (const input of session.inputMetadata) {
    const name = input.name;
    if (name.includes('past')) {
      // Empty cache: the symbolic batch dimension is 1, the symbolic past length is 0.
      const dims = input.shape.map((d, i) => (typeof d === 'number' ? d : (d.includes('batch') ? 1 : 0)));
      const data = input.type === 'float16' ? new Uint16Array(0) : new Float32Array(0);
      feeds[name] = new ort.Tensor(input.type, data, dims);
    } else if (name.includes('mask')) {
      feeds[name] = integers(input.type, ids.map(() => 1));
    } else if (name.includes('position')) {
      feeds[name] = integers(input.type, ids.map((_, i) => i));
    } else {
      feeds[name] = integers(input.type, ids);
    }
  }

  const output = (await session.run(feeds))[config.model.decoder.outputs?.logits ?? 'logits'];
  const vocab = output.dims[2];
  const last = output.dims[1] - 1;
  const row = Array.from(output.data.slice(last * vocab, (last + 1) * vocab));
  logits.push(output.type === 'float16' && !(output.data instanceof Float32Array) ? row.map(halfToFloat) : row.map(Number));
}

process.stdout.write(JSON.stringify({ version: ort.env.versions?.common ?? '', logits }));

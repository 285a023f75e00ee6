// Streams one chat completion from a PadKernel server with npm's official `openai` client and prints one JSON line:
// {"text", "finish_reason", "usage", "chunks"}. Used by PadKernel.Server.Tests.
// Usage: node openai-chat-stream.mjs BASE_URL API_KEY MODEL PROMPT MAX_TOKENS [PREFERENCE]
import OpenAI from 'openai';

const [baseURL, apiKey, model, prompt, maxTokens, preference] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const body = {
  model,
  messages: [{ role: 'user', content: prompt }],
  max_tokens: Number(maxTokens),
  temperature: 0,
  stream: true,
  stream_options: { include_usage: true },
};
if (preference) {
  // The extension object travels as an extra body property; the client passes unknown keys through.
  body.pad = { preferences: [{ text: preference, weight: 1 }] };
}

const stream = await client.chat.completions.create(body);
let text = '';
let finishReason = null;
let usage = null;
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  if (chunk.object !== 'chat.completion.chunk') throw new Error(`unexpected object ${chunk.object}`);
  for (const choice of chunk.choices) {
    text += choice.delta?.content ?? '';
    finishReason = choice.finish_reason ?? finishReason;
  }
  if (chunk.usage) usage = chunk.usage;
}
process.stdout.write(JSON.stringify({ text, finish_reason: finishReason, usage, chunks }) + '\n');

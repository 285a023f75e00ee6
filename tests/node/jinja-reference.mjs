// Reference chat-template rendering from @huggingface/jinja (what transformers.js uses) for the .NET tests.
// stdin: [{ "template": "...", "messages": [{ "role", "content" }], "add_generation_prompt": bool, "bos_token", "eos_token" }, ...]
// stdout: [{ "text": "..." } or { "error": "..." }, ...]
import fs from "node:fs";
import { Template } from "@huggingface/jinja";

const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const results = cases.map((c) => {
  try {
    const text = new Template(c.template).render({
      messages: c.messages,
      add_generation_prompt: c.add_generation_prompt,
      bos_token: c.bos_token,
      eos_token: c.eos_token,
    });
    return { text };
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
});
process.stdout.write(JSON.stringify(results));

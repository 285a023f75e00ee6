// Reference encodings from @huggingface/tokenizers for the .NET tokenizer tests.
// stdin: { "tokenizers": ["<folder>", ...], "texts": ["...", ...] }
// stdout: { "<folder>": { "plain": [{ ids, decoded }], "reference": [{ ids, decoded }], "pieces": [[...]] } }
//   plain:     the tokenizer with its special (control) added tokens removed from text matching, as PadKernel encodes
//              text (a "</s>" in text is ordinary text);
//   reference: the tokenizer as shipped (special-token text in the input becomes the control id).
// Both encode with add_special_tokens: false (no BOS from the post-processor) and decode skipping special tokens.
//   pieces:    the normalizer and pre-tokenizer alone applied to the whole text (words before BPE).
import fs from "node:fs";
import path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";

const input = JSON.parse(fs.readFileSync(0, "utf8"));

function load(folder, plain) {
  const json = JSON.parse(fs.readFileSync(path.join(folder, "tokenizer.json"), "utf8"));
  const configPath = path.join(folder, "tokenizer_config.json");
  const config = fs.existsSync(configPath) ? JSON.parse(fs.readFileSync(configPath, "utf8")) : {};
  if (plain) {
    json.added_tokens = (json.added_tokens ?? []).filter((t) => !t.special);
    if (config.added_tokens_decoder) {
      config.added_tokens_decoder = Object.fromEntries(
        Object.entries(config.added_tokens_decoder).filter(([, t]) => !t.special));
    }
  }
  return new Tokenizer(json, config);
}

function run(tokenizer, decoder, texts) {
  return texts.map((text) => {
    const ids = tokenizer.encode(text, { add_special_tokens: false }).ids;
    const decoded = decoder.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
    return { ids, decoded };
  });
}

const output = {};
for (const folder of input.tokenizers) {
  const reference = load(folder, false);
  output[folder] = {
    // Decoding always uses the shipped tokenizer, so special ids are skipped as a model's output would be.
    plain: run(load(folder, true), reference, input.texts),
    reference: run(reference, reference, input.texts),
    pieces: input.texts.map((text) => {
      const normalized = reference.normalizer ? reference.normalizer(text) : text;
      return reference.pre_tokenizer ? reference.pre_tokenizer(normalized, { section_index: 0 }) : [normalized];
    }),
  };
}
process.stdout.write(JSON.stringify(output));

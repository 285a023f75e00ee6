using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PadKernel.Alignment;
using PadKernel.Cli.Output;
using PadKernel.Decoding;
using PadKernel.Models;
using Spectre.Console;

namespace PadKernel.Cli.Commands;

/// <summary><c>pad generate</c>: continue a prompt, steered by preferences, streaming the text.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var arguments = new GenerationArguments();
        var trace = new Option<string?>("--trace")
        {
            Description = "After the text, show the steps where the reward changed the token ('--trace all': every step): the base model's top token, the chosen one and every candidate's base logit, reward(s) and score.",
            Arity = ArgumentArity.ZeroOrOne,
        }.Require(mode => mode is null or "changed" or "all", "takes 'all' (every step) or nothing (the steps the reward changed)");
        var json = new Option<bool>("--json") { Description = "Print one JSON object (UTF-8): ids, text and (with --trace) the trace of every step." };
        var command = new Command("generate", "Generate text with PAD: the base model's top-k tokens re-scored by the preference reward.");
        arguments.AddTo(command);
        command.Options.Add(trace);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            bool asJson = parse.GetValue(json);
            OptionResult? traceResult = parse.GetResult(trace);
            bool withTrace = traceResult is { Implicit: false };
            bool allSteps = traceResult?.Tokens.Any(t => t.Value == "all") == true;
            IReadOnlyList<Preference> preferences = arguments.Preferences(parse);
            (ILanguageModel model, ILanguageModel? rewardModel) = arguments.LoadModels(parse, context);
            using (model)
            using (rewardModel)
            {
                DecodeRequest request = arguments.Request(parse, model, rewardModel, preferences, withTrace);
                string prompt = arguments.Prompt(parse);
                if (!asJson)
                {
                    // The continuation reads as a text only after its beginning (bold on a terminal; never re-wrapped).
                    bool ansi = context.Console.Profile.Capabilities.Ansi;
                    await context.Output.WriteAsync(ansi ? $"\e[1m{prompt}\e[0m" : prompt);
                }

                var ids = new List<int>();
                var text = new StringBuilder();
                var steps = new List<PadStep>();
                FinishReason finish = FinishReason.Length;
                await foreach (GenerationUpdate update in PadDecoder.DecodeAsync(request, cancellationToken))
                {
                    if (update.TokenId >= 0)
                    {
                        ids.Add(update.TokenId);
                    }

                    if (update.Step is not null)
                    {
                        steps.Add(update.Step);
                    }

                    text.Append(update.Text);
                    finish = update.FinishReason ?? finish;
                    if (!asJson)
                    {
                        await context.Output.WriteAsync(update.Text);
                        await context.Output.FlushAsync(cancellationToken);
                    }
                }

                if (asJson)
                {
                    WriteJson(context.Output, model, prompt, preferences, request, ids, text.ToString(), finish, steps);
                    return 0;
                }

                await context.Output.WriteLineAsync();
                if (finish == FinishReason.Length)
                {
                    context.Console.MarkupLine($"[dim][[stopped at the {ids.Count}-token limit; --max-tokens sets it]][/]");
                }

                if (withTrace)
                {
                    TraceTable.Write(context.Console, model.Tokenizer, steps, preferences, allSteps);
                }

                return 0;
            }
        });
        return command;
    }

    private static void WriteJson(TextWriter output, ILanguageModel model, string prompt, IReadOnlyList<Preference> preferences, DecodeRequest request, List<int> ids, string text, FinishReason finish, List<PadStep> steps)
    {
        using var buffer = new MemoryStream();
        // Readable UTF-8: quotes as \" and letters as themselves, not \u0022 or \u00E9 (the default encoder escapes for HTML).
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("model", model.Info.ModelId);
            json.WriteString("prompt", prompt);
            json.WriteStartArray("preferences");
            foreach (Preference preference in preferences)
            {
                json.WriteStartObject();
                json.WriteString("text", preference.Text);
                json.WriteNumber("weight", preference.Weight);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteIds(json, "prompt_ids", request.Context);
            WriteIds(json, "output_ids", ids);
            json.WriteString("text", text);
            json.WriteString("finish_reason", finish == FinishReason.Stop ? "stop" : "length");
            json.WriteStartArray("trace");
            foreach (PadStep step in steps)
            {
                json.WriteStartObject();
                json.WriteNumber("step", step.Index);
                json.WriteNumber("base_top", step.BaseTopTokenId);
                json.WriteNumber("chosen", step.ChosenTokenId);
                json.WriteStartArray("candidates");
                foreach (PadCandidate candidate in step.Candidates)
                {
                    json.WriteStartObject();
                    json.WriteNumber("id", candidate.TokenId);
                    json.WriteString("token", TokenText.Show(model.Tokenizer, candidate.TokenId));
                    json.WriteNumber("base_logit", candidate.BaseLogit);
                    json.WriteStartArray("rewards");
                    foreach (float reward in candidate.Rewards)
                    {
                        json.WriteNumberValue(reward);
                    }

                    json.WriteEndArray();
                    json.WriteNumber("score", candidate.Score);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteIds(Utf8JsonWriter json, string name, IEnumerable<int> ids)
    {
        json.WriteStartArray(name);
        foreach (int id in ids)
        {
            json.WriteNumberValue(id);
        }

        json.WriteEndArray();
    }
}

// Measures which reward-model example README should show: for each held-out topic preference of
// samples/suites/stories-heldout.json and each weight, on the suite's 16 prompts, how often the PAD continuation names the
// topic (the preference's lexicon word) with the bundled PersRM, against plain decoding and against the preference put
// in the prompt (w = 0 keeps the preference text in both contexts, which is preference prompting). Greedy, 48 tokens.
// Usage: dotnet run -c Release scripts/readme-example.cs -- [weights, default 0.5,1,2,4]
#:project ../src/PadKernel.Llama2c/PadKernel.Llama2c.csproj
#:property TreatWarningsAsErrors=false
#:property GenerateDocumentationFile=false
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Llama2c;

string root = Environment.CurrentDirectory;
while (!File.Exists(Path.Combine(root, "PadKernel.sln")))
{
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run it from inside the repository.");
}

float[] weights = (args.Length > 0 ? args[0] : "0.5,1,2,4").Split(',').Select(w => float.Parse(w, CultureInfo.InvariantCulture)).ToArray();
using JsonDocument suite = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "samples", "suites", "stories-heldout.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
string[] prompts = [.. suite.RootElement.GetProperty("prompts").EnumerateArray().Select(p => p.GetString()!)];
using var model = new Llama2cModelLoader().Load(Path.Combine(root, "models", "stories260K"));
using var persrm = new Llama2cModelLoader().Load(Path.Combine(root, "models", "stories260K-persrm"));
var options = new GenerationOptions { MaxTokens = 48 };

Console.WriteLine($"{prompts.Length} prompts of stories-heldout.json, greedy, 48 tokens: how many continuations name the topic");
Console.WriteLine($"{"preference",-32} {"plain",6} {"prompted",9} {string.Join(" ", weights.Select(w => $"{"w=" + w.ToString(CultureInfo.InvariantCulture),6}"))}");
foreach (JsonElement preference in suite.RootElement.GetProperty("preferences").EnumerateArray())
{
    string text = preference.GetProperty("text").GetString()!;
    string[] words = [.. preference.GetProperty("judges")[0].GetProperty("words").EnumerateArray().Select(w => w.GetString()!)];
    var mentions = new Regex($@"\b({string.Join('|', words.Select(Regex.Escape))})\b", RegexOptions.IgnoreCase);
    int Count(Func<string, DecodeRequest> request) => prompts.Count(p => mentions.IsMatch(PadDecoder.Generate(request(p)).Text));

    int plain = Count(p => PadPrompts.CreateRawRequest(model, p, [], options));
    int prompted = Count(p => PadPrompts.CreateRawRequest(model, p, [new Preference(text, 0f)], options, RewardMode.RewardModel, persrm));
    int[] pad = [.. weights.Select(w => Count(p => PadPrompts.CreateRawRequest(model, p, [new Preference(text, w)], options, RewardMode.RewardModel, persrm)))];
    Console.WriteLine($"{text,-32} {plain,6} {prompted,9} {string.Join(" ", pad.Select(n => $"{n,6}"))}");
}

using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PadKernel.Llama2c;
using PadKernel.Models;
using PadKernel.OnnxRuntime.Validation;
using PadKernel.Text;
using Xunit.Abstractions;

namespace PadKernel.Hardening.Tests;

/// <summary>
/// A seeded fuzzer over every model format PadKernel reads: llama2.c checkpoints and tokenizers, and a GenAI folder's
/// genai_config.json, tokenizer.json and tokenizer_config.json. Each case is a truncation, a header field set to an
/// extreme, random or flipped bytes, or (for JSON) a value of the wrong type, a huge id, deep nesting or a removed
/// key. Every case must end in a correct load or a <see cref="ModelFormatException"/>: no other exception, no hang.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261130;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(30);
    private static readonly float[] ExtremeScores = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -1e10f, 1e30f];
    private static readonly int[] ExtremeInts = [0, -1, 1, 2, 255, 65536, 1 << 24, (1 << 24) + 1, 1 << 30, int.MaxValue, int.MinValue];

    private readonly TempFolder _temp = new("padkernel-fuzz-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Llama2cCheckpoints()
    {
        byte[] original = File.ReadAllBytes(Models.Checkpoint);
        var random = new Random(Seed);
        var cases = new List<(string Name, byte[] Data)>();
        cases.AddRange(Truncations(original, random, 40));
        for (int field = 0; field < 7; field++)
        {
            foreach (int value in ExtremeInts)
            {
                byte[] data = (byte[])original.Clone();
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(field * 4), value);
                cases.Add(($"header field {field} = {value}", data));
            }
        }

        cases.AddRange(RandomHeaders(original.Length, random, 20));
        cases.AddRange(Flips(original, random, 30, headerBytes: Llama2cConfig.HeaderBytes));
        cases.AddRange(RandomFiles(random, 10, 64));

        string path = _temp.File("model.bin");
        await Run("llama2.c checkpoint", cases, path, () =>
        {
            using Llama2cModel model = Llama2cModel.Load(path, Models.Tokenizer);
            using IModelSequence sequence = model.CreateSequence();
            sequence.Append([Llama2cTokenizer.BosTokenId, 403]);
            _ = sequence.Logits[0];
        }, minimumLoads: 3);
    }

    [Fact]
    public async Task Llama2cTokenizers()
    {
        byte[] original = File.ReadAllBytes(Models.Tokenizer);
        var random = new Random(Seed + 1);
        var cases = new List<(string Name, byte[] Data)>();
        cases.AddRange(Truncations(original, random, 60));
        foreach (int value in ExtremeInts)
        {
            byte[] data = (byte[])original.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(data, value);
            cases.Add(($"max_token_length = {value}", data));
        }

        for (int i = 0; i < 40; i++)
        {
            int id = i < 10 ? i : random.Next(512);
            int offset = Llama2cHardeningTests.TokenOffset(original, id);
            byte[] data = (byte[])original.Clone();
            if (random.Next(3) == 0)
            {
                float score = ExtremeScores[random.Next(ExtremeScores.Length)];
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(offset), score);
                cases.Add(($"token {id} score = {score}", data));
            }
            else
            {
                int length = ExtremeInts[random.Next(ExtremeInts.Length)];
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(offset + 4), length);
                cases.Add(($"token {id} length = {length}", data));
            }
        }

        cases.AddRange(Flips(original, random, 60, headerBytes: 4));
        cases.AddRange(RandomFiles(random, 20, 4096));

        string path = _temp.File("tok512.bin");
        await Run("llama2.c tokenizer", cases, path, () =>
        {
            var tokenizer = Llama2cTokenizer.Load(path);
            List<int> ids = tokenizer.Encode("Once upon a time, 日本 🙂 <s>\n");
            _ = tokenizer.Decode(ids.ToArray());
        }, minimumLoads: 10);
    }

    [Fact]
    public Task GenAIConfigs() => FuzzJson("genai_config.json", Seed + 2, structural: 250);

    [Fact]
    public Task TokenizerJsons() => FuzzJson("tokenizer.json", Seed + 3, structural: 400);

    [Fact]
    public Task TokenizerConfigs() => FuzzJson("tokenizer_config.json", Seed + 4, structural: 120);

    private async Task FuzzJson(string name, int seed, int structural)
    {
        string folder = Models.CopyFolder(Models.StoriesOnnx, _temp.File("model"));
        string path = Path.Combine(folder, name);
        byte[] original = File.ReadAllBytes(path);
        var random = new Random(seed);
        var cases = new List<(string Name, byte[] Data)>();
        cases.AddRange(Truncations(original, random, 40));
        cases.AddRange(Flips(original, random, 40, headerBytes: 0));
        cases.AddRange(RandomFiles(random, 15, 512));
        for (int i = 0; i < structural; i++)
        {
            JsonNode root = JsonNode.Parse(original)!;
            string what = Mutate(root, random);
            cases.Add(($"{what}", Encoding.UTF8.GetBytes(root.ToJsonString())));
        }

        cases.Add(("nesting 10,000 deep", Encoding.UTF8.GetBytes("{\"model\":" + new string('[', 10_000) + new string(']', 10_000) + "}")));
        await Run(name, cases, path, () => GenAIFolderValidator.Validate(folder), minimumLoads: 5);
    }

    /// <summary>Replaces or removes one random node of the document; returns what it did.</summary>
    private static string Mutate(JsonNode root, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        JsonNode target = nodes[random.Next(1, nodes.Count)];
        string where = target.GetPath();
        if (random.Next(6) == 0 && target.Parent is JsonObject parent)
        {
            parent.Remove(target.GetPropertyName());
            return $"removed {where}";
        }

        JsonNode? replacement = random.Next(14) switch
        {
            0 => JsonValue.Create("x"),
            1 => JsonValue.Create(string.Empty),
            2 => JsonValue.Create(-1),
            3 => JsonValue.Create(int.MaxValue),
            4 => JsonValue.Create(50_000_000),
            5 => JsonValue.Create(2_147_483_648L),
            6 => JsonValue.Create(1e308),
            7 => JsonValue.Create(1.5),
            8 => JsonValue.Create(true),
            9 => null,
            10 => new JsonArray(),
            11 => new JsonObject(),
            12 => JsonNode.Parse(new string('[', 80) + new string(']', 80), documentOptions: new JsonDocumentOptions { MaxDepth = 100 }),
            _ => JsonValue.Create("../../../../etc/passwd"),
        };
        string shown = replacement?.ToJsonString() ?? "null";
        target.ReplaceWith(replacement);
        return $"{where} = {(shown.Length > 30 ? shown[..30] + "…" : shown)}";
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }

        nodes.Add(node);
        if (node is JsonObject obj)
        {
            foreach (KeyValuePair<string, JsonNode?> property in obj)
            {
                Collect(property.Value, nodes);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                Collect(item, nodes);
            }
        }
    }

    private static IEnumerable<(string, byte[])> Truncations(byte[] original, Random random, int count)
    {
        int[] fixedLengths = [0, 1, 3, 4, 5, 7, 8, 27, 28, 29, 100, original.Length - 1];
        foreach (int length in fixedLengths.Where(l => l < original.Length))
        {
            yield return ($"truncated to {length} bytes", original[..length]);
        }

        for (int i = 0; i < count; i++)
        {
            int length = random.Next(original.Length);
            yield return ($"truncated to {length} bytes", original[..length]);
        }
    }

    private static IEnumerable<(string, byte[])> Flips(byte[] original, Random random, int count, int headerBytes)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] data = (byte[])original.Clone();
            int flips = random.Next(1, 9);
            for (int f = 0; f < flips; f++)
            {
                // Half the flips land in the header, where they matter most.
                int at = headerBytes > 0 && random.Next(2) == 0 ? random.Next(headerBytes) : random.Next(data.Length);
                data[at] ^= (byte)(1 << random.Next(8));
            }

            yield return ($"{flips} flipped bits (case {i})", data);
        }
    }

    private static IEnumerable<(string, byte[])> RandomHeaders(int fileLength, Random random, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] data = new byte[fileLength];
            random.NextBytes(data.AsSpan(0, Llama2cConfig.HeaderBytes));
            yield return ($"random header (case {i})", data);
        }
    }

    private static IEnumerable<(string, byte[])> RandomFiles(Random random, int count, int maxLength)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] data = new byte[random.Next(1, maxLength)];
            random.NextBytes(data);
            yield return ($"{data.Length} random bytes", data);
        }
    }

    private async Task Run(string format, List<(string Name, byte[] Data)> cases, string path, Action load, int minimumLoads)
    {
        var failures = new List<string>();
        int loads = 0, rejected = 0;
        foreach ((string name, byte[] data) in cases)
        {
            File.WriteAllBytes(path, data);
            Bounded.Outcome attempt = await Bounded.RunAsync(load, CaseTimeout);
            if (!attempt.Finished)
            {
                failures.Add($"{name}: no answer within {CaseTimeout.TotalSeconds} s (hang)");
                break;
            }

            switch (attempt.Error)
            {
                case null:
                    loads++;
                    break;
                case ModelFormatException e when e.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal):
                    rejected++;
                    break;
                case Exception e:
                    failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                    break;
            }
        }

        output.WriteLine($"{format}: {cases.Count} cases, {loads} loaded, {rejected} rejected with ModelFormatException, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{format}: {failures.Count} of {cases.Count} cases crashed or hung:\n" + string.Join('\n', failures.Take(20)));
        Assert.True(loads >= minimumLoads, $"{format}: only {loads} cases loaded; the fuzzer should also produce valid files.");
        Assert.True(rejected >= cases.Count / 4, $"{format}: only {rejected} cases were rejected; the mutations are too weak.");
    }
}

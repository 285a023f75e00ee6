using System.Globalization;
using System.Text.Json;

namespace PadKernel.Cli.Tests;

/// <summary>The pad command on an ONNX Runtime GenAI folder (the story model converted to ONNX).</summary>
public sealed class OnnxModelFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("padkernel-cli-onnx-").FullName;

    private static string StoriesOnnx => TestData.Model("stories260K-onnx");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task GenerateOnAGenAIFolderReproducesTheGoldenPadVector()
    {
        using JsonDocument goldenFile = JsonDocument.Parse(File.ReadAllBytes(TestData.GoldenFile));
        JsonElement golden = goldenFile.RootElement.EnumerateArray().First(c => c.TryGetProperty("preference", out _));

        (int code, string output, string error) = await CliRun.InvokeAsync(
            "generate", "--model", StoriesOnnx, "--prompt", golden.GetProperty("prompt").GetString()!,
            "--preference", golden.GetProperty("preference").GetString()!,
            "--weight", golden.GetProperty("weight").GetDouble().ToString(CultureInfo.InvariantCulture),
            "--top-k", golden.GetProperty("top_k").GetInt32().ToString(CultureInfo.InvariantCulture),
            "--max-tokens", golden.GetProperty("max_tokens").GetInt32().ToString(CultureInfo.InvariantCulture), "--json");

        Assert.True(code == 0, error);
        using JsonDocument result = JsonDocument.Parse(output);
        Assert.Equal(golden.GetProperty("output_ids").EnumerateArray().Select(e => e.GetInt32()), result.RootElement.GetProperty("output_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(golden.GetProperty("output_text").GetString(), result.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ABrokenGenAIConfigIsOneClearLine()
    {
        foreach (string file in Directory.EnumerateFiles(StoriesOnnx))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }

        string config = Path.Combine(_folder, "genai_config.json");
        File.SetAttributes(config, FileAttributes.Normal);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"context_length\"", "\"context_len\"", StringComparison.Ordinal));

        (int code, _, string error) = await CliRun.InvokeAsync("generate", "--model", _folder, "--prompt", "Hi");

        Assert.NotEqual(0, code);
        Assert.Contains("missing key 'model.context_length'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.OnnxRuntime.Models;
using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>
/// A folder's <c>search</c> section does not reach PadKernel's generators nor GenAI's reference loop: both are plain
/// greedy search (GreedySearch, the one place search options are set), so w = 0 equals the reference loop on any folder.
/// </summary>
public sealed class SearchOptionsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("padkernel-search-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ReferenceLoop_FolderWithRepetitionPenalty_EqualsZeroWeightDecoding()
    {
        using OnnxModel model = LoadWithSearch(new JsonObject { ["repetition_penalty"] = 1.5 });
        var options = new GenerationOptions { MaxTokens = 150, Temperature = 0 };
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once upon a time", [new Preference("A dog.", 0f)], options);

        IReadOnlyList<int> native = GenAIGreedyLoop.Generate(model, request.Context, options.MaxTokens);
        GenerationResult ours = PadDecoder.Generate(request);

        Assert.Equal(native.TakeWhile(id => !model.Info.EosTokenIds.Contains(id)), ours.TokenIds);
    }

    [Fact]
    public void GreedySearch_FolderSearchOptions_AreReplacedByPlainGreedy()
    {
        using OnnxModel model = LoadWithSearch(new JsonObject
        {
            ["repetition_penalty"] = 1.3,
            ["no_repeat_ngram_size"] = 2,
            ["num_beams"] = 4,
            ["num_return_sequences"] = 2,
            ["do_sample"] = true,
            ["min_length"] = 7,
        });
        using OgaConfig config = OgaConfig.Create(model.Folder);
        using OgaModel native = OgaModel.Create(config);
        using OgaGeneratorParams folderDefaults = OgaGeneratorParams.Create(native);
        Assert.Equal(1.3, folderDefaults.GetSearchNumber("repetition_penalty"), 6);
        Assert.Equal(4, folderDefaults.GetSearchNumber("num_beams"));

        using OgaGeneratorParams parameters = GreedySearch.CreateParameters(native, rows: 3, maxLength: 100);
        Assert.Equal(1, parameters.GetSearchNumber("repetition_penalty"));
        Assert.Equal(0, parameters.GetSearchNumber("no_repeat_ngram_size"));
        Assert.Equal(1, parameters.GetSearchNumber("num_beams"));
        Assert.Equal(1, parameters.GetSearchNumber("num_return_sequences"));
        Assert.False(parameters.GetSearchBool("do_sample"));
        Assert.Equal(0, parameters.GetSearchNumber("min_length"));
        Assert.Equal(3, parameters.GetSearchNumber("batch_size"));
        Assert.Equal(100, parameters.GetSearchNumber("max_length"));

        // And PadKernel's rows decode on such a folder exactly as on the original one.
        int[] prompt = [1, 403, 407, 261];
        using var sequence = model.CreateSequence();
        sequence.Append(prompt);
        using var reference = TestModels.Get(TestModels.Stories).CreateSequence();
        reference.Append(prompt);
        for (int step = 0; step < 20; step++)
        {
            int next = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(reference.Logits);
            Assert.Equal(reference.Logits.ToArray(), sequence.Logits.ToArray());
            model.DecodeBatch([sequence], [next]);
            reference.Model.DecodeBatch([reference], [next]);
        }
    }

    private OnnxModel LoadWithSearch(JsonObject search)
    {
        TestModels.Copy(TestModels.Stories, folder);
        TestModels.EditJson(Path.Combine(folder, "genai_config.json"), config =>
        {
            foreach ((string key, JsonNode? value) in search)
            {
                config["search"]![key] = value?.DeepClone();
            }
        });
        return OnnxModel.Load(folder);
    }
}

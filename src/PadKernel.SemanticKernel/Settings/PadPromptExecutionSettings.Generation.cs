using System.Collections.ObjectModel;
using System.Text.Json.Serialization;

namespace PadKernel.SemanticKernel;

/// <summary>The common generation settings of <see cref="PadPromptExecutionSettings"/>, under Semantic Kernel's names.</summary>
public sealed partial class PadPromptExecutionSettings
{
    private int? _maxTokens;
    private float? _temperature;
    private float? _topP;
    private int? _topK;
    private long? _seed;
    private IList<string>? _stopSequences;

    /// <summary>Gets or sets the token limit (<c>max_tokens</c>); the model's default when null.</summary>
    [JsonPropertyName("max_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxTokens
    {
        get => _maxTokens;
        set => Set(ref _maxTokens, value);
    }

    /// <summary>Gets or sets the sampling temperature (<c>temperature</c>); 0 (greedy) by default.</summary>
    [JsonPropertyName("temperature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? Temperature
    {
        get => _temperature;
        set => Set(ref _temperature, value);
    }

    /// <summary>Gets or sets nucleus sampling's probability mass (<c>top_p</c>).</summary>
    [JsonPropertyName("top_p")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? TopP
    {
        get => _topP;
        set => Set(ref _topP, value);
    }

    /// <summary>Gets or sets the sampler's top-k (<c>top_k</c>; not PAD's candidate set, see <see cref="PadTopK"/>).</summary>
    [JsonPropertyName("top_k")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TopK
    {
        get => _topK;
        set => Set(ref _topK, value);
    }

    /// <summary>Gets or sets the sampling seed (<c>seed</c>).</summary>
    [JsonPropertyName("seed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seed
    {
        get => _seed;
        set => Set(ref _seed, value);
    }

    /// <summary>Gets or sets sequences that end the answer (<c>stop_sequences</c>).</summary>
    [JsonPropertyName("stop_sequences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? StopSequences
    {
        get => _stopSequences;
        set => Set(ref _stopSequences, value);
    }

    private void CopyGenerationTo(PadPromptExecutionSettings clone)
    {
        clone.MaxTokens = MaxTokens;
        clone.Temperature = Temperature;
        clone.TopP = TopP;
        clone.TopK = TopK;
        clone.Seed = Seed;
        clone.StopSequences = StopSequences?.ToList();
    }

    // The list is copied read-only so the settings cannot change through a reference kept by the caller.
    private void FreezeGeneration()
    {
        if (_stopSequences is not null)
        {
            _stopSequences = new ReadOnlyCollection<string>(_stopSequences.ToArray());
        }
    }
}

using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Logits;
using PadKernel.Tests.TestDoubles;

namespace PadKernel.Tests.Logits;

/// <summary>
/// The decoding loop allocates nothing per token but the text it streams, counted with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> (deterministic, unlike time) on a model that allocates nothing.
/// </summary>
public sealed class AllocationTests
{
    public static TheoryData<int, float> Cases() => new()
    {
        { 0, 0f },   // plain greedy
        { 0, 0.8f }, // plain sampling over the whole vocabulary
        { 1, 0f },   // PAD, greedy
        { 3, 0.8f }, // PAD, sampled
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_SteadyState_AllocatesOnlyTheStreamedText(int preferences, float temperature)
    {
        using var model = new ScriptedModel(seed: 20, contextLength: 512);
        Preference[] all = [new("A dog.", 1f), new("The sea.", 0.5f), new("Food.", 2f)];
        var options = new GenerationOptions
        {
            MaxTokens = 240,
            Temperature = temperature,
            TopP = 0.9f,
            TopK = 40,
            Seed = 5,
            RepetitionPenalty = 1.2f,
            // Bytes >= 0x80 banned: the model's random bytes would be invalid UTF-8, whose U+FFFD fallback allocates.
            LogitsProcessors = [new LogitBias(NonAscii(model.Info.VocabularySize), new Dictionary<string, float> { ["dog"] = 1f }), new MinPFilter(0.01f)],
        };
        DecodeRequest request = PadPrompts.CreateRawRequest(model, "Once", all[..preferences], options);

        long start = 0, allocated = 0, text = 0;
        int index = 0;
        foreach (GenerationUpdate update in PadDecoder.Decode(request))
        {
            index++;
            if (index == 20)
            {
                start = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (index > 20 && index <= 220)
            {
                text += StringBytes(update.Text);
                if (index == 220)
                {
                    allocated = GC.GetAllocatedBytesForCurrentThread() - start;
                }
            }
        }

        Assert.Equal(240, index);
        Assert.True(allocated <= text, $"200 steps allocated {allocated} bytes; their text strings take at most {text}.");
    }

    private static Dictionary<int, float> NonAscii(int vocabularySize) =>
        Enumerable.Range(0x80 + 3, vocabularySize - 0x80 - 3).ToDictionary(id => id, _ => float.NegativeInfinity);

    // A string's heap size on 64-bit: header, method table, 4-byte length, UTF-16 chars and a terminator, rounded to
    // 8 bytes. The empty string is a singleton.
    private static long StringBytes(string text) => text.Length == 0 ? 0 : (22 + (2L * text.Length) + 7) / 8 * 8;
}

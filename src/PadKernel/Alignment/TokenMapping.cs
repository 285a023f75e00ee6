using System.Runtime.CompilerServices;
using PadKernel.Models;
using PadKernel.Text;

namespace PadKernel.Alignment;

/// <summary>
/// Maps a base model's token ids to a reward model whose tokenizer differs, through the tokens' text — as the official
/// PAD code does (a candidate's reward is the reward model's logit for the first token of the candidate's text) — but
/// computed once per pair of tokenizers instead of re-encoding text at every step.
/// </summary>
/// <remarks>
/// Each base id's text (its bytes after an ordinary token, so a leading space is kept) is encoded with the reward
/// tokenizer as text that does not start the sequence. The first reward id scores the candidate; all of them are what
/// the reward context reads when the candidate is chosen. Reward ids outside the reward model's own vocabulary (a model
/// can be smaller than its tokenizer) are dropped; a base id whose text does not encode to a valid first id is
/// <em>unmapped</em>, and PAD gives it a neutral reward (see <see cref="PadDecoder"/>). Token-by-token encoding is an
/// approximation: "hel"+"lo" may encode to other reward ids than "hello" does.
/// </remarks>
public sealed class TokenMapping
{
    private static readonly ConditionalWeakTable<ITokenizer, ConditionalWeakTable<ITokenizer, TokenMapping>> Cache = [];

    private readonly int[] _first;
    private readonly int[][] _encodings;

    private TokenMapping(int[] first, int[][] encodings, int rewardVocabularySize)
    {
        _first = first;
        _encodings = encodings;
        RewardVocabularySize = rewardVocabularySize;
        MappedCount = first.Count(id => id >= 0);
        MaxEncodingLength = encodings.Max(e => e.Length);
    }

    /// <summary>Gets the number of base ids.</summary>
    public int BaseVocabularySize => _first.Length;

    /// <summary>Gets the number of ids the reward model accepts.</summary>
    public int RewardVocabularySize { get; }

    /// <summary>Gets how many base ids map to a reward id.</summary>
    public int MappedCount { get; }

    /// <summary>Gets the most reward ids one base id's text encodes to.</summary>
    public int MaxEncodingLength { get; }

    /// <summary>
    /// Returns a value indicating whether two models read the same token ids (same vocabulary and tokenizer sizes), so
    /// that ids pass between them unmapped. The one test for it, for decoding and evaluation alike.
    /// </summary>
    /// <param name="a">One model.</param>
    /// <param name="b">The other model.</param>
    public static bool SharesVocabulary(ILanguageModel a, ILanguageModel b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Info.VocabularySize == b.Info.VocabularySize && a.Tokenizer.VocabularySize == b.Tokenizer.VocabularySize;
    }

    /// <summary>Returns the mapping between two models' vocabularies, computed on first use and cached per pair of tokenizers.</summary>
    /// <param name="baseModel">The base model.</param>
    /// <param name="rewardModel">The reward model.</param>
    public static TokenMapping For(ILanguageModel baseModel, ILanguageModel rewardModel)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(rewardModel);
        int baseSize = baseModel.Info.VocabularySize, rewardSize = rewardModel.Info.VocabularySize;
        ConditionalWeakTable<ITokenizer, TokenMapping> byReward = Cache.GetOrCreateValue(baseModel.Tokenizer);
        lock (byReward)
        {
            if (byReward.TryGetValue(rewardModel.Tokenizer, out TokenMapping? cached)
                && cached.BaseVocabularySize == baseSize && cached.RewardVocabularySize == rewardSize)
            {
                return cached;
            }

            TokenMapping created = Create(baseModel.Tokenizer, baseSize, rewardModel.Tokenizer, rewardSize);
            byReward.AddOrUpdate(rewardModel.Tokenizer, created);
            return created;
        }
    }

    /// <summary>Computes the mapping of base ids <c>0..baseVocabularySize-1</c> onto reward ids below <paramref name="rewardVocabularySize"/>.</summary>
    /// <param name="baseTokenizer">The base model's tokenizer.</param>
    /// <param name="baseVocabularySize">The base model's vocabulary size (its logits' length).</param>
    /// <param name="rewardTokenizer">The reward model's tokenizer.</param>
    /// <param name="rewardVocabularySize">The reward model's vocabulary size (its logits' length).</param>
    public static TokenMapping Create(ITokenizer baseTokenizer, int baseVocabularySize, ITokenizer rewardTokenizer, int rewardVocabularySize)
    {
        ArgumentNullException.ThrowIfNull(baseTokenizer);
        ArgumentNullException.ThrowIfNull(rewardTokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseVocabularySize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rewardVocabularySize);
        string?[] texts = TokenTexts.Of(baseTokenizer, baseVocabularySize);
        var first = new int[baseVocabularySize];
        var encodings = new int[baseVocabularySize][];
        var ids = new List<int>();
        for (int id = 0; id < baseVocabularySize; id++)
        {
            first[id] = -1;
            encodings[id] = [];
            if (texts[id] is not { } text)
            {
                continue;
            }

            ids.Clear();
            rewardTokenizer.Encode(text, ids, atStartOfText: false);
            if (ids.Count > 0 && (uint)ids[0] < (uint)rewardVocabularySize)
            {
                first[id] = ids[0];
            }

            encodings[id] = ids.Where(r => (uint)r < (uint)rewardVocabularySize).ToArray();
        }

        return new TokenMapping(first, encodings, rewardVocabularySize);
    }

    /// <summary>Gets the reward id that scores base candidate <paramref name="baseId"/>, or -1 when it is unmapped.</summary>
    public int MapCandidate(int baseId) => _first[baseId];

    /// <summary>Gets the reward ids the reward context reads when base token <paramref name="baseId"/> is chosen.</summary>
    public ReadOnlySpan<int> Encoding(int baseId) => _encodings[baseId];
}

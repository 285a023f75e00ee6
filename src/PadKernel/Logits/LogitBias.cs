using System.Runtime.CompilerServices;
using PadKernel.Text;

namespace PadKernel.Logits;

/// <summary>
/// A user link: adds a fixed bias to the score of chosen tokens at every step — −∞ bans a token, a positive bias
/// favours it. Tokens are given by id, or by word (see <see cref="TokenSequencesOfWord"/> for exactly what a word
/// covers). The bias applies to the base scores before PAD's candidate set is taken, so a banned word never enters K
/// and a favoured one can; PAD's rewards themselves are computed from the unbiased rows.
/// </summary>
/// <example>
/// <code>
/// var options = new GenerationOptions();
/// options.LogitsProcessors.Add(new LogitBias(words: new Dictionary&lt;string, float&gt; { ["dragon"] = float.NegativeInfinity }));
/// </code>
/// </example>
public sealed class LogitBias : ILogitsProcessorFactory
{
    private readonly ConditionalWeakTable<ITokenizer, Resolved> _resolved = [];

    /// <summary>Initializes a new instance of the <see cref="LogitBias"/> class.</summary>
    /// <param name="tokens">Biases by token id of the base model.</param>
    /// <param name="words">Biases by word; a token covered by several entries gets their sum.</param>
    /// <exception cref="ArgumentException">A bias is NaN or +∞, a word is empty or white space, or neither map is given.</exception>
    public LogitBias(IReadOnlyDictionary<int, float>? tokens = null, IReadOnlyDictionary<string, float>? words = null)
    {
        Tokens = tokens is null ? new Dictionary<int, float>() : new Dictionary<int, float>(tokens);
        Words = words is null ? new Dictionary<string, float>(StringComparer.Ordinal) : new Dictionary<string, float>(words, StringComparer.Ordinal);
        if (Tokens.Count == 0 && Words.Count == 0)
        {
            throw new ArgumentException("A logit bias needs at least one token or word.", nameof(tokens));
        }

        foreach ((int id, float bias) in Tokens)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id, nameof(tokens));
            CheckBias(bias, nameof(tokens));
        }

        foreach ((string word, float bias) in Words)
        {
            if (string.IsNullOrWhiteSpace(word))
            {
                throw new ArgumentException("A biased word must have non-blank text.", nameof(words));
            }

            CheckBias(bias, nameof(words));
        }
    }

    /// <summary>Gets the biases by token id.</summary>
    public IReadOnlyDictionary<int, float> Tokens { get; }

    /// <summary>Gets the biases by word.</summary>
    public IReadOnlyDictionary<string, float> Words { get; }

    /// <summary>
    /// Gets what a word covers, as token sequences whose <em>last</em> token is biased whenever the text generated so far
    /// ends with the sequence's other tokens:
    /// <list type="bullet">
    /// <item>every single token whose text, with at most one leading space removed, starts with the word — for "dragon":
    /// "dragon", " dragon", " dragons", " dragonfly" (matching does not look past the token);</item>
    /// <item>the tokenizer's own encodings of the word after a space and at the start of a line (" dragon" and
    /// "dragon", encoded as text that does not start the sequence). When one is several tokens (" dr" + "agon"), its
    /// last token is biased only right after the others, so the bias hits the word and no other word sharing its
    /// first piece.</item>
    /// </list>
    /// A token's text is its bytes in the middle of text, decoded as UTF-8 (SentencePiece's ▁ reads as a space).
    /// Matching is ordinal: "Dragon" is another word. Byte-fallback fragments and control tokens have no text and are
    /// never covered by the first rule. Other spellings of the word (another split, another case) are not covered.
    /// </summary>
    /// <param name="tokenizer">The base model's tokenizer.</param>
    /// <param name="vocabularySize">The base model's vocabulary size.</param>
    /// <param name="word">The word.</param>
    /// <returns>The sequences, single tokens first (ascending), without duplicates.</returns>
    public static IReadOnlyList<int[]> TokenSequencesOfWord(ITokenizer tokenizer, int vocabularySize, string word)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrWhiteSpace(word);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabularySize);
        var singles = new SortedSet<int>();
        string?[] texts = TokenTexts.Of(tokenizer, vocabularySize);
        for (int id = 0; id < texts.Length; id++)
        {
            if (texts[id] is { } text && text.AsSpan(text.StartsWith(' ') ? 1 : 0).StartsWith(word, StringComparison.Ordinal))
            {
                singles.Add(id);
            }
        }

        var sequences = new List<int[]>();
        foreach (string written in (ReadOnlySpan<string>)[" " + word, word])
        {
            List<int> ids = tokenizer.Encode(written, atStartOfText: false);
            if (ids.Count == 0 || ids.Exists(id => (uint)id >= (uint)vocabularySize))
            {
                continue;
            }

            if (ids.Count == 1)
            {
                singles.Add(ids[0]);
            }
            else if (!sequences.Exists(s => s.AsSpan().SequenceEqual(ids.ToArray())))
            {
                sequences.Add([.. ids]);
            }
        }

        return [.. singles.Select(id => new[] { id }), .. sequences];
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A token id is outside the base model's vocabulary.</exception>
    public ILogitsProcessor Create(LogitsProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int vocabulary = context.Model.VocabularySize;
        if (!_resolved.TryGetValue(context.Tokenizer, out Resolved? resolved) || resolved.VocabularySize != vocabulary)
        {
            resolved = Resolve(context.Tokenizer, vocabulary);
            _resolved.AddOrUpdate(context.Tokenizer, resolved);
        }

        return new Processor(resolved);
    }

    private static void CheckBias(float bias, string name)
    {
        if (float.IsNaN(bias) || float.IsPositiveInfinity(bias))
        {
            throw new ArgumentOutOfRangeException(name, bias, "A logit bias must be a finite number or -Infinity (a ban).");
        }
    }

    private Resolved Resolve(ITokenizer tokenizer, int vocabularySize)
    {
        var singles = new SortedDictionary<int, float>();
        var sequences = new List<(int[] Ids, float Bias)>();
        foreach ((int id, float bias) in Tokens)
        {
            if (id >= vocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(Tokens), id, $"The biased token id {id} is outside the model's vocabulary of {vocabularySize}.");
            }

            singles[id] = singles.GetValueOrDefault(id) + bias;
        }

        foreach ((string word, float bias) in Words)
        {
            foreach (int[] sequence in TokenSequencesOfWord(tokenizer, vocabularySize, word))
            {
                if (sequence.Length == 1)
                {
                    singles[sequence[0]] = singles.GetValueOrDefault(sequence[0]) + bias;
                }
                else
                {
                    sequences.Add((sequence, bias));
                }
            }
        }

        return new Resolved([.. singles.Keys], [.. singles.Values], [.. sequences], vocabularySize);
    }

    private sealed record Resolved(int[] Ids, float[] Biases, (int[] Ids, float Bias)[] Sequences, int VocabularySize);

    private sealed class Processor(Resolved resolved) : ILogitsProcessor
    {
        private float[]? _byId;

        public void Apply(TokenCandidates candidates, LogitsStep step)
        {
            if (candidates.IsVocabularyOrder)
            {
                Span<float> scores = candidates.Scores;
                for (int i = 0; i < resolved.Ids.Length; i++)
                {
                    scores[resolved.Ids[i]] += resolved.Biases[i];
                }

                foreach ((int[] ids, float bias) in resolved.Sequences)
                {
                    if (EndsWith(step, ids.AsSpan(0, ids.Length - 1)))
                    {
                        scores[ids[^1]] += bias;
                    }
                }

                return;
            }

            ApplyByLookup(candidates, step);
        }

        // A narrowed set: a dense table of this step's biases, indexed by token id.
        private void ApplyByLookup(TokenCandidates candidates, LogitsStep step)
        {
            _byId ??= new float[resolved.VocabularySize];
            Array.Clear(_byId);
            for (int i = 0; i < resolved.Ids.Length; i++)
            {
                _byId[resolved.Ids[i]] = resolved.Biases[i];
            }

            foreach ((int[] ids, float bias) in resolved.Sequences)
            {
                if (EndsWith(step, ids.AsSpan(0, ids.Length - 1)))
                {
                    _byId[ids[^1]] += bias;
                }
            }

            Span<int> candidateIds = candidates.Ids;
            Span<float> scores = candidates.Scores;
            for (int i = 0; i < candidateIds.Length; i++)
            {
                scores[i] += _byId[candidateIds[i]];
            }
        }

        // Whether the context (prompt, then the tokens generated so far) ends with prefix.
        private static bool EndsWith(LogitsStep step, ReadOnlySpan<int> prefix)
        {
            ReadOnlySpan<int> generated = step.GeneratedIds;
            IReadOnlyList<int> prompt = step.PromptIds;
            if (prefix.Length > generated.Length + prompt.Count)
            {
                return false;
            }

            for (int i = 1; i <= prefix.Length; i++)
            {
                int id = i <= generated.Length ? generated[^i] : prompt[prompt.Count - (i - generated.Length)];
                if (id != prefix[^i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}

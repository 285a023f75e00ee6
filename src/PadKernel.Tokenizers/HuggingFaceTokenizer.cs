using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using PadKernel.Models;
using PadKernel.Text;
using PadKernel.Tokenizers.Components;

namespace PadKernel.Tokenizers;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> BPE tokenizer: byte-level (GPT-2, Llama 3, Qwen) and SentencePiece-style
/// (Llama 2, Mistral, Phi-3), the tokenizers ONNX Runtime GenAI model folders ship.
/// </summary>
/// <remarks>
/// <see cref="Encode"/> treats all text as plain text: special (control) tokens such as <c>&lt;/s&gt;</c> or
/// <c>&lt;|endoftext|&gt;</c> are never produced from text; chat templates get their ids from
/// <see cref="TryGetSpecialTokenId"/>. Non-special added tokens (for example the whitespace-run tokens of CodeGen-style
/// GPT-2 files) are matched in text as Hugging Face does. Instances are immutable and thread-safe.
/// </remarks>
public sealed class HuggingFaceTokenizer : ITokenizer
{
    private readonly BpeModel _model;
    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly AddedTokenSplitter _addedTokenSplitter;
    private readonly FrozenDictionary<string, int> _addedTokens;
    private readonly byte[][] _tokenBytes;
    private readonly string?[] _tokenText;
    private readonly bool[] _isSpecial;
    private readonly int _stripLeadingSpaces;

    private HuggingFaceTokenizer(string path, TokenizerDefinition definition, TokenizerConfig config)
    {
        SourcePath = path;
        _model = definition.Model;
        _normalizer = definition.Normalizer;
        _preTokenizer = definition.PreTokenizer;
        _stripLeadingSpaces = definition.Decoding.StripLeadingSpaces;
        Kind = definition.Decoding.IsByteLevel ? HuggingFaceTokenizerKind.ByteLevelBpe : HuggingFaceTokenizerKind.SentencePieceBpe;

        // Ids index the tables below: each must lie within the number of tokens the file defines (Hugging Face allows
        // gaps, not ids millions past the end), so a hostile id cannot make a small file cost gigabytes.
        int defined = _model.Vocabulary.Count + definition.AddedTokens.Count;
        int size = 0;
        foreach (var (text, id) in _model.Vocabulary)
        {
            size = Math.Max(size, CheckId(path, "model.vocab", text, id, defined) + 1);
        }

        foreach (AddedToken token in definition.AddedTokens)
        {
            size = Math.Max(size, CheckId(path, "added_tokens", token.Content, token.Id, defined) + 1);
        }

        VocabularySize = size;
        _tokenText = new string?[size];
        foreach (var (text, id) in _model.Vocabulary)
        {
            _tokenText[id] = text;
        }

        _isSpecial = new bool[size];
        var isAdded = new bool[size];
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (AddedToken token in definition.AddedTokens)
        {
            _tokenText[token.Id] = token.Content;
            _isSpecial[token.Id] = token.Special;
            isAdded[token.Id] = true;
            added[token.Content] = token.Id;
        }

        _addedTokens = added.ToFrozenDictionary(StringComparer.Ordinal);
        _addedTokenSplitter = new AddedTokenSplitter(definition.AddedTokens.Where(t => !t.Special).Select(t => (t.Content, t.Id)));

        // Precomputed so that GetTokenBytes never allocates. Non-special added tokens are their text verbatim (the
        // reference decoder passes them through unchanged); special ones are skipped.
        _tokenBytes = new byte[size][];
        for (int id = 0; id < size; id++)
        {
            string? tokenText = _tokenText[id];
            _tokenBytes[id] = _isSpecial[id] || tokenText is null ? []
                : isAdded[id] ? Encoding.UTF8.GetBytes(tokenText)
                : definition.Decoding.GetBytes(tokenText);
        }

        BosTokenId = Resolve(config.BosToken ?? definition.TemplateBosToken);
        EosTokenId = Resolve(config.EosToken);
        UnkTokenId = Resolve(config.UnkToken);
        PadTokenId = Resolve(config.PadToken);
        AddBosToken = config.AddBosToken ?? (definition.TemplateBosToken is not null);
        ChatTemplate = config.ChatTemplate;
    }

    /// <summary>Gets the path of the <c>tokenizer.json</c> this tokenizer was read from.</summary>
    public string SourcePath { get; }

    /// <summary>Gets the BPE family.</summary>
    public HuggingFaceTokenizerKind Kind { get; }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <summary>Gets the id of the beginning-of-sequence token, if the tokenizer has one.</summary>
    public int? BosTokenId { get; }

    /// <summary>Gets the id of the end-of-sequence token named by <c>tokenizer_config.json</c>, if any.</summary>
    public int? EosTokenId { get; }

    /// <summary>Gets the id of the unknown token named by the config, if any.</summary>
    public int? UnkTokenId { get; }

    /// <summary>Gets the id of the padding token named by the config, if any.</summary>
    public int? PadTokenId { get; }

    /// <summary>Gets whether the model expects BOS at the start of a prompt (config <c>add_bos_token</c>, or the post-processor template).</summary>
    public bool AddBosToken { get; }

    /// <summary>Gets the Jinja <c>chat_template</c> of <c>tokenizer_config.json</c>, if any (not rendered here).</summary>
    public string? ChatTemplate { get; }

    /// <summary>Gets the added tokens (special and not) by their text.</summary>
    public IReadOnlyDictionary<string, int> AddedTokens => _addedTokens;

    /// <summary>
    /// Loads a tokenizer from a <c>tokenizer.json</c> file or from a folder holding one, together with the
    /// <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> beside it when present.
    /// </summary>
    /// <param name="path">A <c>tokenizer.json</c> file or a model folder.</param>
    /// <exception cref="ModelFormatException">The file is missing, corrupt, or uses an unsupported component.</exception>
    public static HuggingFaceTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string file = Directory.Exists(path) ? Path.Combine(path, "tokenizer.json") : path;
        if (!File.Exists(file))
        {
            throw new ModelFormatException(file, "tokenizer.json not found");
        }

        file = Path.GetFullPath(file);
        TokenizerDefinition definition = TokenizerJsonReader.Read(file);
        TokenizerConfig config = TokenizerConfig.Read(Path.GetDirectoryName(file)!);
        return new HuggingFaceTokenizer(file, definition, config);
    }

    private static int CheckId(string path, string key, string token, int id, int defined) =>
        id >= 0 && id < defined
            ? id
            : throw new ModelFormatException(path, $"{key}: the token \"{token}\" has id {id}; ids must lie in 0..{defined - 1} (the file defines {defined} tokens).");

    /// <inheritdoc />
    public void Encode(ReadOnlySpan<char> text, List<int> destination, bool atStartOfText = true)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (text.IsEmpty)
        {
            return;
        }

        // Every pattern from tokenizer.json runs under a match timeout (TokenizerJsonReader.MatchTimeout): a hostile
        // backtracking pattern on a crafted text ends here, once for splitters and normalizers alike, with nothing appended.
        int before = destination.Count;
        try
        {
            EncodeText(text.ToString(), destination, atStartOfText ? SegmentStart.TextStart : SegmentStart.Continuation);
        }
        catch (RegexMatchTimeoutException e)
        {
            destination.RemoveRange(before, destination.Count - before);
            throw new PadKernelException($"The tokenizer's pattern \"{e.Pattern}\" took longer than {e.MatchTimeout.TotalSeconds:0.#} s on this text; the tokenizer.json pattern is unsafe (catastrophic backtracking).", e);
        }
    }

    private void EncodeText(string input, List<int> destination, SegmentStart start)
    {
        if (_addedTokenSplitter.IsEmpty)
        {
            EncodeSegment(input, destination, start);
            return;
        }

        // As in Hugging Face, text after an added token is a segment of its own (see SegmentStart).
        bool first = true;
        foreach (var (segment, id) in _addedTokenSplitter.Split(input))
        {
            if (id >= 0)
            {
                destination.Add(id);
            }
            else
            {
                EncodeSegment(segment, destination, first ? start : SegmentStart.AfterAddedToken);
            }

            first = false;
        }
    }

    /// <inheritdoc />
    public bool TryGetSpecialTokenId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _addedTokens.TryGetValue(token, out id);
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> GetTokenBytes(int tokenId, int previousTokenId)
    {
        if ((uint)tokenId >= (uint)_tokenBytes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenId), tokenId, $"Token id is outside the vocabulary (0..{_tokenBytes.Length - 1}).");
        }

        ReadOnlySpan<byte> bytes = _tokenBytes[tokenId];
        if (_stripLeadingSpaces > 0 && StartsText(previousTokenId))
        {
            // The decoder's Strip / Metaspace: the dummy-prefix space of the first piece is not part of the text.
            int strip = 0;
            while (strip < _stripLeadingSpaces && strip < bytes.Length && bytes[strip] == (byte)' ')
            {
                strip++;
            }

            bytes = bytes[strip..];
        }

        return bytes;
    }

    /// <summary>Gets whether <paramref name="tokenId"/> is a special (control) token, which contributes no text.</summary>
    public bool IsSpecialToken(int tokenId) => (uint)tokenId < (uint)_isSpecial.Length && _isSpecial[tokenId];

    /// <summary>Gets the token's text as written in the vocabulary (for example <c>▁the</c> or <c>Ġthe</c>), or <see langword="null"/>.</summary>
    public string? GetTokenText(int tokenId) => (uint)tokenId < (uint)_tokenText.Length ? _tokenText[tokenId] : null;

    /// <summary>Looks up a token by its vocabulary text (added tokens included).</summary>
    public bool TryGetTokenId(string tokenText, out int id)
    {
        ArgumentNullException.ThrowIfNull(tokenText);
        return _addedTokens.TryGetValue(tokenText, out id) || _model.Vocabulary.TryGetValue(tokenText, out id);
    }

    // The decoder's Strip/Metaspace removes the space at the start of the decoded text: the first token of the text
    // comes after nothing (-1) or after BOS. Other control tokens are skipped when decoding, so text goes on across them.
    private bool StartsText(int previousTokenId) => previousTokenId < 0 || previousTokenId == BosTokenId;

    /// <summary>The words BPE sees for <paramref name="text"/> (normalizer and pre-tokenizer only; for tests).</summary>
    internal List<string> PreTokenize(string text) =>
        Words(_normalizer?.Normalize(text, SegmentStart.TextStart) ?? text, SegmentStart.TextStart);

    private List<string> Words(string normalized, SegmentStart start) =>
        _preTokenizer is null ? [normalized] : _preTokenizer.PreTokenize([normalized], start);

    private void EncodeSegment(string segment, List<int> destination, SegmentStart start)
    {
        foreach (string word in Words(_normalizer?.Normalize(segment, start) ?? segment, start))
        {
            _model.Encode(word, destination);
        }
    }

    private int? Resolve(string? token) => token is not null && TryGetTokenId(token, out int id) ? id : null;
}

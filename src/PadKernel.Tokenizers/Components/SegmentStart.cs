namespace PadKernel.Tokenizers.Components;

/// <summary>Where a segment of text sits, which decides whether prefix spaces are added to it.</summary>
internal enum SegmentStart
{
    /// <summary>It continues earlier text (<c>atStartOfText: false</c>): no prefix.</summary>
    Continuation,

    /// <summary>It starts the text: every prefix scheme applies.</summary>
    TextStart,

    /// <summary>
    /// It follows a non-special added token inside the text: Hugging Face normalizes and pre-tokenizes each such
    /// segment on its own, so per-segment prefixes (Prepend, ByteLevel, Metaspace "always") apply, "first" does not.
    /// </summary>
    AfterAddedToken,
}

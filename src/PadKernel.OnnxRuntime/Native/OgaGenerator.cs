namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// GenAI's <c>OgaGenerator</c>: a batch of token sequences with their KV cache, advanced by GenAI's search. Holds a
/// reference on its <see cref="OgaModel"/>, so disposing the model while generators live is safe.
/// </summary>
internal sealed unsafe class OgaGenerator : GenAIHandle
{
    private readonly OgaModel _model;

    private OgaGenerator(nint handle, OgaModel model)
        : base(handle)
    {
        _model = model;
    }

    /// <summary>Creates a generator; use <c>GreedySearch</c>, which sets every search option PadKernel relies on.</summary>
    public static OgaGenerator Create(OgaModel model, OgaGeneratorParams parameters)
    {
        bool added = false;
        model.DangerousAddRef(ref added);
        try
        {
            OgaResult.Verify(NativeMethods.OgaCreateGenerator(model, parameters, out nint generator));
            return new(generator, model);
        }
        catch
        {
            model.DangerousRelease();
            throw;
        }
    }

    public bool IsDone => NativeMethods.OgaGenerator_IsDone(this);

    public void AppendTokens(ReadOnlySpan<int> tokens)
    {
        fixed (int* p = tokens)
        {
            OgaResult.Verify(NativeMethods.OgaGenerator_AppendTokens(this, p, (nuint)tokens.Length));
        }
    }

    /// <summary>Runs one prompt per row (a generator takes this once, right after it is created or rewound to 0).</summary>
    public void AppendTokenSequences(OgaSequences sequences) => OgaResult.Verify(NativeMethods.OgaGenerator_AppendTokenSequences(this, sequences));

    public void GenerateNextToken() => OgaResult.Verify(NativeMethods.OgaGenerator_GenerateNextToken(this));

    /// <summary>Gets the token each row received from the last <see cref="GenerateNextToken"/>, valid until the next call.</summary>
    public ReadOnlySpan<int> GetNextTokens()
    {
        OgaResult.Verify(NativeMethods.OgaGenerator_GetNextTokens(this, out int* tokens, out nuint count));
        return new(tokens, (int)count);
    }

    /// <summary>Gets the logits of the last run (running the model on tokens appended since), to dispose after reading.</summary>
    public OgaTensorView GetLogits()
    {
        OgaResult.Verify(NativeMethods.OgaGenerator_GetLogits(this, out nint tensor));
        return new(tensor);
    }

    /// <summary>Replaces the logits the search reads at the next <see cref="GenerateNextToken"/>.</summary>
    public void SetLogits(OgaTensor logits) => OgaResult.Verify(NativeMethods.OgaGenerator_SetLogits(this, logits));

    public void RewindTo(int length) => OgaResult.Verify(NativeMethods.OgaGenerator_RewindTo(this, (nuint)length));

    protected override void Destroy(nint value)
    {
        NativeMethods.OgaDestroyGenerator(value);
        _model.DangerousRelease();
    }
}

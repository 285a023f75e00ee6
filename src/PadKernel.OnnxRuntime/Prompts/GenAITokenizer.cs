using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime.Prompts;

/// <summary>
/// A model's GenAI tokenizer, created on first use and serialised: it renders Jinja chat templates
/// (<see cref="GenAIChatTemplates"/>) and lets tests compare GenAI's encoding with PadKernel's. Prompts are always
/// encoded by the model's <see cref="PadKernel.Text.ITokenizer"/>.
/// </summary>
internal sealed class GenAITokenizer(OgaModel model) : IDisposable
{
    private readonly Lock _gate = new();
    private OgaTokenizer? _tokenizer;
    private bool _disposed;

    /// <summary>Encodes text as GenAI does by default (no BOS; control-token strings become control ids).</summary>
    public int[] Encode(string text)
    {
        lock (_gate)
        {
            return Tokenizer().Encode(text);
        }
    }

    /// <summary>Renders a JSON array of messages with <paramref name="template"/>, or the folder's template when null.</summary>
    public string ApplyChatTemplate(string? template, string messages, bool addGenerationPrompt)
    {
        lock (_gate)
        {
            return Tokenizer().ApplyChatTemplate(template, messages, addGenerationPrompt);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _tokenizer?.Dispose();
        }
    }

    private OgaTokenizer Tokenizer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _tokenizer ??= OgaTokenizer.Create(model);
    }
}

namespace PadKernel.Logits;

/// <summary>
/// Creates a request's own <see cref="ILogitsProcessor"/>, so one configured factory (in options shared by a client)
/// serves concurrent requests. Add factories to <see cref="Decoding.GenerationOptions.LogitsProcessors"/>.
/// </summary>
/// <remarks><see cref="Create"/> may be called from several threads at once.</remarks>
public interface ILogitsProcessorFactory
{
    /// <summary>Creates the processor for one request.</summary>
    /// <param name="context">The request: base model, tokenizer, prompt and options.</param>
    ILogitsProcessor Create(LogitsProcessorContext context);
}

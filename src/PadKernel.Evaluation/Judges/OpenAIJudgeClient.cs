using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace PadKernel.Evaluation.Judges;

/// <summary>Creates the chat client of an LLM judge served by any OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp, Ollama, <c>pad serve</c>).</summary>
public static class OpenAIJudgeClient
{
    /// <summary>Creates a chat client for <paramref name="model"/> at <paramref name="endpoint"/> through the OpenAI SDK.</summary>
    /// <param name="endpoint">The API base address, for example <c>http://127.0.0.1:8080/v1</c>.</param>
    /// <param name="model">The model name the endpoint serves.</param>
    /// <param name="apiKey">The API key; local servers usually accept any, so a placeholder is sent when null.</param>
    public static IChatClient Create(Uri endpoint, string model, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "no-key" : apiKey), new OpenAIClientOptions { Endpoint = endpoint });
        return client.GetChatClient(model).AsIChatClient();
    }
}

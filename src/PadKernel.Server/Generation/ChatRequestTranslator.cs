using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;
using PadKernel.Preferences;
using PadKernel.Server.Authentication;
using PadKernel.Server.Configuration;
using PadKernel.Server.Errors;
using PadKernel.Server.Protocol;

namespace PadKernel.Server.Generation;

/// <summary>
/// Validates a chat-completions body against the protocol and the configured limits, and turns it into a
/// <see cref="ChatCall"/>. Every refusal is a 400 (or 403/404) whose <c>param</c> names the field.
/// </summary>
internal sealed class ChatRequestTranslator(IOptions<PadServerOptions> options, ServedModel servedModel)
{
    private readonly PadServerLimits _limits = options.Value.Limits;

    public ChatCall Translate(ChatCompletionRequest request, ApiCaller caller)
    {
        string model = CheckModel(request.Model);
        List<ChatMessage> messages = TranslateMessages(request.Messages);

        if (request.N is int n && n != 1)
        {
            throw ApiException.InvalidRequest("Only n = 1 is supported.", "n", "invalid_value");
        }

        if (IsNonEmptyList(request.Tools, "tools"))
        {
            throw ApiException.InvalidRequest("Tool calling is not supported by this server.", "tools", "unsupported_parameter");
        }

        var chatOptions = new ChatOptions { MaxOutputTokens = MaxTokens(request) };

        if (request.Temperature is float temperature)
        {
            chatOptions.Temperature = temperature is >= 0f and <= 2f
                ? temperature
                : throw ApiException.InvalidRequest($"'temperature' must be between 0 and 2 (it is {Format(temperature)}).", "temperature", "invalid_value");
        }

        if (request.TopP is float topP)
        {
            chatOptions.TopP = topP is > 0f and <= 1f
                ? topP
                : throw ApiException.InvalidRequest($"'top_p' must be in (0, 1] (it is {Format(topP)}).", "top_p", "invalid_value");
        }

        chatOptions.Seed = request.Seed;
        if (request.Stop is { Count: > 0 } stop)
        {
            if (stop.Count > _limits.MaxStopSequences)
            {
                throw ApiException.InvalidRequest($"'stop' may hold at most {_limits.MaxStopSequences} sequences (it holds {stop.Count}).", "stop", "invalid_value");
            }

            for (int i = 0; i < stop.Count; i++)
            {
                if (stop[i].Length == 0)
                {
                    throw ApiException.InvalidRequest("Stop sequences must be non-empty.", $"stop[{i}]", "invalid_value");
                }
            }

            chatOptions.StopSequences = stop;
        }

        string? userId = ResolveUser(request.User, caller);
        try
        {
            chatOptions.WithPadOptions((request.Pad is PadExtensionDto pad ? TranslatePad(pad) : PadRequestOptions.Empty) with { User = userId });
        }
        catch (ArgumentException e)
        {
            // The rules every front end shares (PadRequestOptions), past this server's own limits: a 400 naming the field.
            throw GenerationErrors.ToApiError(e)!;
        }

        bool stream = request.Stream ?? false;
        bool includeUsage = stream && (request.StreamOptions?.IncludeUsage ?? false);
        return new ChatCall(messages, chatOptions, model, stream, includeUsage, userId);
    }

    /// <summary>Checks a preference list (of a request's <c>pad</c> or of a PUT) against the limits.</summary>
    public void CheckPreferences(List<PadPreference> preferences, string param)
    {
        if (preferences.Count > _limits.MaxPreferences)
        {
            throw ApiException.InvalidRequest($"'{param}' may hold at most {_limits.MaxPreferences} preferences (it holds {preferences.Count}).", param, "too_many_preferences");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < preferences.Count; i++)
        {
            string text = preferences[i].Text.Trim();
            if (text.Length == 0)
            {
                throw ApiException.InvalidRequest("A preference needs non-empty text.", $"{param}[{i}].text", "invalid_value");
            }

            if (text.Length > _limits.MaxPreferenceLength)
            {
                throw ApiException.InvalidRequest($"A preference may be at most {_limits.MaxPreferenceLength} characters long (this one has {text.Length}).", $"{param}[{i}].text", "preference_too_long");
            }

            // The core's rule (one place for every store and front end); its message and ParamName name the field.
            PreferenceText.ValidateCharacters(text, $"{param}[{i}].text", allowLineBreaks: true);

            if (!seen.Add(text))
            {
                throw ApiException.InvalidRequest($"The preference '{text}' appears twice.", $"{param}[{i}].text", "duplicate_preference");
            }
        }
    }

    private string CheckModel(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            throw ApiException.InvalidRequest("'model' is required.", "model", "missing_required_parameter");
        }

        if (!string.Equals(model, servedModel.Id, StringComparison.Ordinal))
        {
            throw ApiException.NotFound($"The model '{model}' does not exist; this server serves '{servedModel.Id}'.", "model", "model_not_found");
        }

        return model;
    }

    private static List<ChatMessage> TranslateMessages(List<ChatMessageDto>? messages)
    {
        if (messages is null || messages.Count == 0)
        {
            throw ApiException.InvalidRequest("'messages' must be a non-empty array.", "messages", messages is null ? "missing_required_parameter" : "invalid_value");
        }

        var result = new List<ChatMessage>(messages.Count);
        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessageDto message = messages[i] ?? throw ApiException.InvalidRequest("A message must be an object.", $"messages[{i}]", "invalid_value");
            ChatRole role = message.Role switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                null => throw ApiException.InvalidRequest("Every message needs a 'role'.", $"messages[{i}].role", "missing_required_parameter"),
                "tool" or "function" => throw ApiException.InvalidRequest($"Messages with role '{message.Role}' are not supported: this server has no tool calling.", $"messages[{i}].role", "unsupported_value"),
                _ => throw ApiException.InvalidRequest($"Unknown role '{message.Role}'; expected system, developer, user or assistant.", $"messages[{i}].role", "invalid_value"),
            };

            if (IsNonEmptyList(message.ToolCalls, $"messages[{i}].tool_calls"))
            {
                throw ApiException.InvalidRequest("Tool calls are not supported by this server.", $"messages[{i}].tool_calls", "unsupported_parameter");
            }

            if (message.Content is null && role != ChatRole.Assistant)
            {
                throw ApiException.InvalidRequest("Every message needs 'content'.", $"messages[{i}].content", "missing_required_parameter");
            }

            result.Add(new ChatMessage(role, message.Content ?? "") { AuthorName = message.Name });
        }

        // Every chat template continues the last user turn; a conversation of only system and assistant turns has none.
        if (!result.Exists(m => m.Role == ChatRole.User))
        {
            throw ApiException.InvalidRequest("'messages' must hold at least one message with role 'user'.", "messages", "invalid_value");
        }

        return result;
    }

    /// <summary>
    /// Reads a list-valued field this server does not support (tools, tool calls): absent, null or empty is fine, a
    /// non-empty array is unsupported, and anything else is the wrong type.
    /// </summary>
    private static bool IsNonEmptyList(JsonElement? value, string param) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => false,
        { ValueKind: JsonValueKind.Array } array => array.GetArrayLength() > 0,
        { } other => throw ApiException.InvalidRequest($"Invalid type for '{param}': expected an array, got {Describe(other.ValueKind)}.", param, "invalid_type"),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };

    private int MaxTokens(ChatCompletionRequest request)
    {
        (int? value, string param) = request.MaxCompletionTokens is not null
            ? (request.MaxCompletionTokens, "max_completion_tokens")
            : (request.MaxTokens, "max_tokens");
        if (value is not int maxTokens)
        {
            return _limits.EffectiveDefaultMaxTokens;
        }

        if (maxTokens < 1)
        {
            throw ApiException.InvalidRequest($"'{param}' must be at least 1 (it is {maxTokens}).", param, "invalid_value");
        }

        if (maxTokens > _limits.MaxTokens)
        {
            throw ApiException.InvalidRequest($"'{param}' may be at most {_limits.MaxTokens} on this server (it is {maxTokens}).", param, "invalid_value");
        }

        return maxTokens;
    }

    private static string? ResolveUser(string? requested, ApiCaller caller)
    {
        if (string.IsNullOrEmpty(requested) || requested == caller.UserId)
        {
            return caller.UserId;
        }

        // Only an admin key may generate as someone else; for any other key the user is the key's own.
        if (caller.IsAdmin)
        {
            PreferenceText.ValidateUserId(requested, "user");
        }

        return caller.IsAdmin
            ? requested
            : throw ApiException.Forbidden($"This API key acts as its own user and cannot generate as user '{requested}'.", "user");
    }

    /// <summary>The <c>pad</c> object as PAD's request options, checked against this server's limits (each refusal names its field).</summary>
    private PadRequestOptions TranslatePad(PadExtensionDto pad)
    {
        if (pad.Preferences is { } preferences)
        {
            CheckPreferences(preferences, "pad.preferences");
        }

        if (pad.Weight is float weight && !float.IsFinite(weight))
        {
            throw ApiException.InvalidRequest("'pad.weight' must be a finite number.", "pad.weight", "invalid_value");
        }

        if (pad.TopK is int topK && (topK < 1 || topK > _limits.MaxPadTopK))
        {
            throw ApiException.InvalidRequest($"'pad.top_k' must be between 1 and {_limits.MaxPadTopK} (it is {topK}).", "pad.top_k", "invalid_value");
        }

        RewardMode? mode = null;
        if (pad.Mode is string name)
        {
            mode = RewardModeConverter.TryParse(name, out RewardMode parsed)
                ? parsed
                : throw ApiException.InvalidRequest($"Unknown 'pad.mode' '{name}'; expected '{RewardModeConverter.SelfName}' or '{RewardModeConverter.RewardModelName}'.", "pad.mode", "invalid_value");
        }

        return new PadRequestOptions
        {
            Preferences = pad.Preferences,
            Weight = pad.Weight,
            TopK = pad.TopK,
            Mode = mode,
            UseStoredPreferences = pad.UseStored,
        };
    }

    private static string Format(float value) => value.ToString(CultureInfo.InvariantCulture);
}

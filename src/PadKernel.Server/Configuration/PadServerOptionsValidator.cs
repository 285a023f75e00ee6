using Microsoft.Extensions.Options;

namespace PadKernel.Server.Configuration;

/// <summary>Checks <see cref="PadServerOptions"/> at startup so that a bad configuration fails before the first request.</summary>
internal sealed class PadServerOptionsValidator : IValidateOptions<PadServerOptions>
{
    public ValidateOptionsResult Validate(string? name, PadServerOptions options)
    {
        var failures = new List<string>();
        if (options.ApiKeys.Count == 0 && !options.AllowAnonymous)
        {
            failures.Add($"{PadServerOptions.SectionName}:ApiKeys is empty: configure at least one key, or set {PadServerOptions.SectionName}:AllowAnonymous=true for a local single-user server.");
        }

        if (options.AllowAnonymous && string.IsNullOrWhiteSpace(options.AnonymousUser))
        {
            failures.Add($"{PadServerOptions.SectionName}:AnonymousUser must be a non-empty user id.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.ApiKeys.Count; i++)
        {
            ApiKeyOptions key = options.ApiKeys[i];
            string at = $"{PadServerOptions.SectionName}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Key))
            {
                failures.Add($"{at}:Key is empty.");
            }
            else if (!seen.Add(key.Key))
            {
                failures.Add($"{at}:Key repeats an earlier key.");
            }

            if (!key.Admin && string.IsNullOrWhiteSpace(key.User))
            {
                failures.Add($"{at}:User is empty: a key that is not an admin key must be bound to a user.");
            }
        }

        PadServerLimits limits = options.Limits;
        string l = $"{PadServerOptions.SectionName}:Limits";
        Positive(limits.MaxRequestBodyBytes, $"{l}:MaxRequestBodyBytes");
        Positive(limits.MaxPromptTokens, $"{l}:MaxPromptTokens");
        Positive(limits.MaxTokens, $"{l}:MaxTokens");
        Positive(limits.MaxPreferences, $"{l}:MaxPreferences");
        Positive(limits.MaxPreferenceLength, $"{l}:MaxPreferenceLength");
        Positive(limits.MaxPadTopK, $"{l}:MaxPadTopK");
        Positive(limits.MaxConcurrentGenerations, $"{l}:MaxConcurrentGenerations");
        Positive(limits.RetryAfterSeconds, $"{l}:RetryAfterSeconds");
        if (limits.MaxStopSequences < 0)
        {
            failures.Add($"{l}:MaxStopSequences must be >= 0.");
        }

        if (limits.MaxQueuedGenerations < 0)
        {
            failures.Add($"{l}:MaxQueuedGenerations must be >= 0.");
        }

        if (limits.DefaultMaxTokens is int defaultMaxTokens && (defaultMaxTokens <= 0 || defaultMaxTokens > limits.MaxTokens))
        {
            failures.Add($"{l}:DefaultMaxTokens ({defaultMaxTokens}) must be between 1 and {l}:MaxTokens ({limits.MaxTokens}).");
        }

        if (!(options.ShutdownDrainSeconds >= 0) || double.IsInfinity(options.ShutdownDrainSeconds))
        {
            failures.Add($"{PadServerOptions.SectionName}:ShutdownDrainSeconds must be a finite number >= 0.");
        }

        PadServerPreferencesOptions preferences = options.Preferences;
        string p = $"{PadServerOptions.SectionName}:Preferences";
        switch (preferences.EffectiveStore)
        {
            case PadServerPreferencesOptions.Sqlite:
                break;
            case PadServerPreferencesOptions.Postgres when string.IsNullOrWhiteSpace(preferences.ConnectionString):
                failures.Add($"{p}:Store is postgres but {p}:ConnectionString is empty.");
                break;
            case PadServerPreferencesOptions.Postgres:
                break;
            default:
                failures.Add($"{p}:Store must be '{PadServerPreferencesOptions.Sqlite}' or '{PadServerPreferencesOptions.Postgres}' (it is '{preferences.Store}').");
                break;
        }

        if (!(preferences.MaxStalenessSeconds >= 0) || preferences.MaxStalenessSeconds > 86_400)
        {
            failures.Add($"{p}:MaxStalenessSeconds must be between 0 and 86400.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(long value, string key)
        {
            if (value <= 0)
            {
                failures.Add($"{key} must be > 0 (it is {value}).");
            }
        }
    }
}

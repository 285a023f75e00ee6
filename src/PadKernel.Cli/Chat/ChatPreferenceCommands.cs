using System.Globalization;
using PadKernel.Preferences;

namespace PadKernel.Cli.Chat;

/// <summary><c>pad chat</c>'s memory commands for one user: <c>/remember</c>, <c>/forget</c>, <c>/prefs</c>, <c>/weight</c>.</summary>
internal sealed class ChatPreferenceCommands(IPreferenceStore store, string user, float defaultWeight, TextWriter output)
{
    public async Task RememberAsync(string rest, CancellationToken cancellationToken)
    {
        (string text, float weight) = SplitWeight(rest);
        if (text.Length == 0)
        {
            await output.WriteLineAsync("usage: /remember TEXT [WEIGHT], e.g. /remember The story is about a dog named Max. 4");
            return;
        }

        StoredPreference stored = await store.SetAsync(user, text, weight, cancellationToken);
        await output.WriteLineAsync($"remembered for {user}: {Describe(stored)}");
    }

    public async Task ForgetAsync(string rest, CancellationToken cancellationToken)
    {
        if (rest.Length == 0)
        {
            await output.WriteLineAsync("usage: /forget N|TEXT|all (N as /prefs numbers them)");
            return;
        }

        if (rest.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            int count = await store.ClearAsync(user, cancellationToken);
            await output.WriteLineAsync($"forgot all {count} preference(s) of {user}");
            return;
        }

        StoredPreference? found = await FindAsync(rest, cancellationToken);
        bool removed = found is not null && await store.RemoveAsync(user, found.Id, cancellationToken);
        await output.WriteLineAsync(removed ? $"forgot {Describe(found!)}" : $"no preference '{rest}' for {user}; /prefs lists them");
    }

    public async Task ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredPreference> list = await store.ListAsync(user, cancellationToken);
        if (list.Count == 0)
        {
            await output.WriteLineAsync($"no preferences remembered for {user} (/remember TEXT [WEIGHT] adds one)");
            return;
        }

        for (int i = 0; i < list.Count; i++)
        {
            await output.WriteLineAsync($"{i + 1}. {Describe(list[i])}");
        }
    }

    public async Task WeightAsync(string rest, CancellationToken cancellationToken)
    {
        (string which, float weight) = SplitWeight(rest, required: true);
        StoredPreference? found = which.Length == 0 ? null : await FindAsync(which, cancellationToken);
        if (found is null || float.IsNaN(weight))
        {
            await output.WriteLineAsync("usage: /weight N|TEXT WEIGHT (N as /prefs numbers them), e.g. /weight 1 2.5");
            return;
        }

        StoredPreference stored = await store.SetAsync(user, found.Text, weight, cancellationToken);
        await output.WriteLineAsync($"now {Describe(stored)}");
    }

    private async Task<StoredPreference?> FindAsync(string which, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredPreference> list = await store.ListAsync(user, cancellationToken);
        return int.TryParse(which, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
            ? n >= 1 && n <= list.Count ? list[n - 1] : null
            : list.FirstOrDefault(p => PreferenceText.SameText(p.Text, which));
    }

    // "TEXT 2.5" → (TEXT, 2.5); without a trailing number the default weight (or NaN when one is required).
    private (string Text, float Weight) SplitWeight(string rest, bool required = false)
    {
        int space = rest.LastIndexOf(' ');
        return space > 0 && float.TryParse(rest[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out float weight) && float.IsFinite(weight)
            ? (rest[..space].Trim(), weight)
            : (rest, required ? float.NaN : defaultWeight);
    }

    private static string Describe(StoredPreference p) => string.Create(CultureInfo.InvariantCulture, $"\"{p.Text}\" (w={p.Weight})");
}

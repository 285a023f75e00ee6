using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PadKernel.Extensions.AI;

namespace PadKernel.Preferences.Sqlite;

/// <summary>Registers <see cref="SqlitePreferenceStore"/> as PadKernel's preference store.</summary>
public static class SqlitePreferencesBuilderExtensions
{
    /// <summary>
    /// Keeps users' preferences in the SQLite file at <paramref name="path"/>, or at <c>PadKernel:PreferencesDatabase</c>
    /// when <paramref name="path"/> is null. The store is a singleton, opened (and migrated) on first use.
    /// </summary>
    public static PadKernelBuilder UseSqlitePreferences(this PadKernelBuilder builder, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UsePreferenceStore(sp =>
        {
            string file = path ?? sp.GetRequiredService<IOptions<PadKernelOptions>>().Value.PreferencesDatabase
                ?? throw new InvalidOperationException("UseSqlitePreferences needs a path, or PadKernel:PreferencesDatabase in configuration.");
            return new SqlitePreferenceStore(file);
        });
    }
}

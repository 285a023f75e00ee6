using PadKernel.Extensions.AI;

namespace PadKernel.Preferences.Postgres;

/// <summary>Registers <see cref="PostgresPreferenceStore"/> as PadKernel's preference store.</summary>
public static class PostgresPreferencesBuilderExtensions
{
    /// <summary>
    /// Keeps users' preferences in the PostgreSQL database at <paramref name="connectionString"/>, shared by every
    /// process that uses the same database. The store is a singleton, opened (and its schema migrated) on first use
    /// and disposed with the service provider.
    /// </summary>
    /// <param name="builder">The PadKernel builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">Adjusts the store's settings (for example <see cref="PostgresPreferenceStoreOptions.MaxStaleness"/>).</param>
    public static PadKernelBuilder UsePostgresPreferences(this PadKernelBuilder builder, string connectionString, Action<PostgresPreferenceStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgresPreferenceStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        options.Validate();
        return builder.UsePreferenceStore(_ => new PostgresPreferenceStore(options));
    }
}

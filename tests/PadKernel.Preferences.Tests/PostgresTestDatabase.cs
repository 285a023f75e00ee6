using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PadKernel.Preferences.Tests;

/// <summary>
/// A fresh PostgreSQL schema for one test, in the database named by <c>PADKERNEL_POSTGRES</c> (scripts/test.sh
/// starts a throwaway cluster and sets it). Every connection string it hands out has that schema as its search path.
/// </summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    public const string Variable = "PADKERNEL_POSTGRES";

    public const string SkipReason =
        "PostgreSQL tests need a server: set PADKERNEL_POSTGRES to an Npgsql connection string, or run ./scripts/test.sh, which starts a throwaway cluster and sets it.";

    private readonly string _schema = "padkernel_test_" + Guid.NewGuid().ToString("N");

    public PostgresTestDatabase()
    {
        string server = ServerConnectionString ?? throw new InvalidOperationException(SkipReason);
        Execute(server, $"CREATE SCHEMA {_schema};");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = _schema }.ConnectionString;
    }

    /// <summary>Gets the server's connection string from the environment, or null when none is set.</summary>
    public static string? ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Gets a connection string whose search path is this test's schema.</summary>
    public string ConnectionString { get; }

    public void Execute(string sql) => Execute(ConnectionString, sql);

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute(ServerConnectionString!, $"DROP SCHEMA IF EXISTS {_schema} CASCADE;");
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>Marks a test class whose tests need PostgreSQL: <see cref="StoreFactAttribute"/> skips them, saying why, when none is configured.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RequiresPostgresAttribute : Attribute;

/// <summary>
/// A fact of the preference-store suite. In a class marked <see cref="RequiresPostgresAttribute"/> it is skipped, with
/// <see cref="PostgresTestDatabase.SkipReason"/>, when <c>PADKERNEL_POSTGRES</c> is not set; when it is set and the
/// server cannot be reached, the test fails.
/// </summary>
[XunitTestCaseDiscoverer("PadKernel.Preferences.Tests.StoreFactDiscoverer", "PadKernel.Preferences.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests, skipping PostgreSQL ones when no server is configured.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        bool needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        TestMethodDisplay display = discoveryOptions.MethodDisplayOrDefault();
        TestMethodDisplayOptions displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        yield return needsPostgres && PostgresTestDatabase.ServerConnectionString is null
            ? new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, PostgresTestDatabase.SkipReason)
            : new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod);
    }
}

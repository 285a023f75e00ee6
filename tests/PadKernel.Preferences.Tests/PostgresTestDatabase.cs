using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PadKernel.Preferences.Tests;

/// <summary>
/// A fresh PostgreSQL schema for one test, in the database named by <c>PADKERNEL_POSTGRES</c> (scripts/test.sh
/// starts a throwaway cluster and sets it), else in a throwaway cluster this test run starts itself with
/// scripts/postgres.sh when PostgreSQL is installed. Every connection string it hands out has that schema as its search path.
/// </summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    public const string Variable = "PADKERNEL_POSTGRES";

    public const string SkipReason =
        "PostgreSQL tests need a server: set PADKERNEL_POSTGRES to an Npgsql connection string, or install PostgreSQL (Debian: apt-get install postgresql) " +
        "so that the tests start a throwaway cluster; ./scripts/test.sh does both.";

    private static readonly Lazy<string> Throwaway = new(StartThrowawayCluster);

    private readonly string _schema = "padkernel_test_" + Guid.NewGuid().ToString("N");

    public PostgresTestDatabase()
    {
        string server = ServerConnectionString ?? throw new InvalidOperationException(SkipReason);
        Execute(server, $"CREATE SCHEMA {_schema};");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = _schema }.ConnectionString;
    }

    /// <summary>Gets a value indicating whether a server is configured, or can be started (PostgreSQL's initdb is installed).</summary>
    public static bool Available => Configured is not null || FindInitdb() is not null;

    /// <summary>Gets the server's connection string: <c>PADKERNEL_POSTGRES</c>, else a throwaway cluster's (started on first use), else null.</summary>
    public static string? ServerConnectionString => Configured ?? (Available ? Throwaway.Value : null);

    private static string? Configured => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Gets a connection string whose search path is this test's schema.</summary>
    public string ConnectionString { get; }

    public void Execute(string sql) => Execute(ConnectionString, sql);

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute(ServerConnectionString!, $"DROP SCHEMA IF EXISTS {_schema} CASCADE;");
    }

    private static string? FindInitdb()
    {
        IEnumerable<string> candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin", "initdb"))
            : [];
        candidates = candidates.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, "initdb")));
        return candidates.FirstOrDefault(File.Exists);
    }

    // scripts/postgres.sh, the one place that knows how: start now, stop (and delete) when the test process exits.
    private static string StartThrowawayCluster()
    {
        string script = Path.Combine(PadKernel.Testing.TestData.RepositoryRoot, "scripts", "postgres.sh");
        string[] state = RunScript(script, "pg_throwaway_start >&2 && printf '%s\\n' \"$PADKERNEL_POSTGRES\" \"$PG_THROWAWAY_DIR\" \"$PG_THROWAWAY_BIN\" \"$PG_THROWAWAY_USER\"");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunScript(
            script, $"PG_THROWAWAY_DIR='{state[1]}' PG_THROWAWAY_BIN='{state[2]}' PG_THROWAWAY_USER='{state[3]}' pg_throwaway_stop");
        return state[0];
    }

    private static string[] RunScript(string script, string command)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source '{script}' && {command}");
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh failed ({process.ExitCode}): {error.Result}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
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
/// <see cref="PostgresTestDatabase.SkipReason"/>, when <c>PADKERNEL_POSTGRES</c> is not set and PostgreSQL is not
/// installed; when a server is configured but cannot be reached, or cannot be started, the test fails.
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
        yield return needsPostgres && !PostgresTestDatabase.Available
            ? new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, PostgresTestDatabase.SkipReason)
            : new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PadKernel.Evaluation.Running;

/// <summary>
/// Keeps finished cells in a JSON-lines file, one record per line, flushed as each cell finishes, so an interrupted
/// run keeps its work and the next run with the same settings resumes where it stopped.
/// </summary>
public sealed class EvalResultStore : IDisposable
{
    /// <summary>The results file's name inside the output folder.</summary>
    public const string ResultsFileName = "results.jsonl";

    /// <summary>The file holding the settings the results depend on.</summary>
    public const string RunFileName = "run.json";

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly Dictionary<string, EvalRecord> _records = new(StringComparer.Ordinal);
    private readonly StreamWriter _writer;

    private EvalResultStore(string directory, StreamWriter writer, IEnumerable<EvalRecord> existing)
    {
        Directory = directory;
        _writer = writer;
        foreach (EvalRecord record in existing)
        {
            _records[record.CellKey] = record;
        }
    }

    /// <summary>Gets the output folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the finished records, resumed ones included.</summary>
    public IReadOnlyCollection<EvalRecord> Records => _records.Values;

    /// <summary>
    /// Opens (or creates) the store in <paramref name="directory"/>. Existing results are kept when they were made with
    /// the same <paramref name="fingerprint"/>; otherwise the folder is refused rather than mixing incomparable numbers.
    /// </summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="fingerprint">The settings every cell depends on (model, suite, max tokens, temperature, seed).</param>
    /// <exception cref="EvalStoreException">The folder holds results of different settings, or unreadable results.</exception>
    public static EvalResultStore Open(string directory, EvalFingerprint fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(fingerprint);
        System.IO.Directory.CreateDirectory(directory);
        string runPath = Path.Combine(directory, RunFileName);
        string resultsPath = Path.Combine(directory, ResultsFileName);
        string wanted = JsonSerializer.Serialize(fingerprint, JsonOptions);
        var existing = new List<EvalRecord>();
        if (File.Exists(resultsPath))
        {
            string? stored = File.Exists(runPath) ? File.ReadAllText(runPath).Trim() : null;
            if (stored != wanted)
            {
                throw new EvalStoreException(
                    $"'{directory}' holds results made with other settings (model, suite, max tokens, temperature or seed). " +
                    "Choose another --out folder, or delete that one to start over.");
            }

            existing.AddRange(ReadRecords(resultsPath));
        }

        File.WriteAllText(runPath, wanted + "\n");
        var stream = new FileStream(resultsPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new EvalResultStore(directory, new StreamWriter(stream, new UTF8Encoding(false)), existing);
    }

    /// <summary>Reads the records of a results file; an unfinished last line (an interrupted write) is cut off the file.</summary>
    public static IReadOnlyList<EvalRecord> ReadRecords(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = File.ReadAllBytes(path);
        int end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (end < bytes.Length)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(end);
        }

        var records = new List<EvalRecord>();
        int lineNumber = 0;
        foreach (string line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                records.Add(JsonSerializer.Deserialize<EvalRecord>(line, JsonOptions)
                    ?? throw new JsonException("null record"));
            }
            catch (JsonException e)
            {
                throw new EvalStoreException($"{path}:{lineNumber} is not a result record: {e.Message}", e);
            }
        }

        return records;
    }

    /// <summary>Returns whether the cell is already finished.</summary>
    public bool Contains(string cellKey) => _records.ContainsKey(cellKey);

    /// <summary>Returns the finished record of a cell, or null.</summary>
    public EvalRecord? Find(string cellKey) => _records.GetValueOrDefault(cellKey);

    /// <summary>Appends a finished record and flushes it to disk.</summary>
    public void Add(EvalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _writer.Write(JsonSerializer.Serialize(record, JsonOptions));
        _writer.Write('\n');
        _writer.Flush();
        _records[record.CellKey] = record;
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}

/// <summary>The settings every cell's result depends on; results are only resumed under the same fingerprint.</summary>
/// <param name="Model">The base model's id.</param>
/// <param name="RewardModel">The reward model's id, or null.</param>
/// <param name="Suite">The suite's name.</param>
/// <param name="SuiteHash">A hash of the suite's prompts, preferences and judges.</param>
/// <param name="MaxTokens">The token limit.</param>
/// <param name="Temperature">The sampling temperature.</param>
/// <param name="Seed">The first seed.</param>
/// <param name="FluencyModel">The fluency model's id, or null.</param>
/// <param name="PenalizeCopying">Whether copying zeroes adherence.</param>
/// <param name="Grader">What grades with an LLM (endpoint and model), or null (see <see cref="Judges.JudgeFactory.Grader"/>).</param>
public sealed record EvalFingerprint(string Model, string? RewardModel, string Suite, string SuiteHash, int MaxTokens, float Temperature, int Seed, string? FluencyModel = null, bool PenalizeCopying = false, string? Grader = null);

/// <summary>Thrown when an output folder cannot be used for the results of a run.</summary>
public sealed class EvalStoreException : PadKernelException
{
    /// <summary>Initializes a new instance of the <see cref="EvalStoreException"/> class.</summary>
    public EvalStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

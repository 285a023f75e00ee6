using PadKernel.Cli;

namespace PadKernel.Hardening.Tests;

/// <summary>How <c>pad</c> reports errors: user errors as one line naming the file, internal errors as such.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly TempFolder _temp = new("pad-cli-hardening-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CorruptCheckpointIsOneLineNamingFileAndField()
    {
        Llama2cHardeningTests.WriteHugeKvCacheCheckpoint(_temp.File("model.bin"));
        File.Copy(Models.Tokenizer, _temp.File("tok512.bin"));

        (int code, string error) = await InvokeAsync(TextWriter.Null, "generate", "-m", _temp.Path, "-p", "Hi");

        Assert.Equal(1, code);
        Assert.StartsWith("pad: ", error, StringComparison.Ordinal);
        Assert.Contains("model.bin", error, StringComparison.Ordinal);
        Assert.Contains("seq_len", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task UnexpectedExceptionIsReportedAsAnInternalErrorWithoutTrace()
    {
        // An InvalidOperationException from deep inside (here: the output stream) is a bug, not a user error.
        (int code, string error) = await InvokeAsync(new FailingWriter(), "generate", "-m", Models.Stories260K, "-p", "Once", "-n", "3");

        Assert.Equal(PadCli.InternalErrorExitCode, code);
        Assert.StartsWith("pad: internal error (InvalidOperationException): the writer broke", error, StringComparison.Ordinal);
        Assert.Contains("--verbose", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));

        (code, error) = await InvokeAsync(new FailingWriter(), "generate", "-m", Models.Stories260K, "-p", "Once", "-n", "3", "--verbose");
        Assert.Equal(PadCli.InternalErrorExitCode, code);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Error)> InvokeAsync(TextWriter output, params string[] args)
    {
        using var error = new StringWriter();
        int code = await PadCli.InvokeAsync(args, output, error);
        return (code, error.ToString());
    }

    private sealed class FailingWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("the writer broke");

        public override void Write(string? value) => throw new InvalidOperationException("the writer broke");

        public override Task WriteAsync(string? value) => throw new InvalidOperationException("the writer broke");

        public override Task WriteAsync(char value) => throw new InvalidOperationException("the writer broke");
    }
}

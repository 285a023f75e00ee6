using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PadKernel.Cli.Chat;
using PadKernel.Extensions.AI;
using PadKernel.Llama2c;
using PadKernel.Preferences;
using Spectre.Console;

namespace PadKernel.Cli.Tests;

/// <summary>The chat loop on the real chat client: stopping an answer (what Ctrl+C does) leaves the session going.</summary>
public sealed class ChatReplTests
{
    [Fact]
    public async Task CancelAnswer_StopsTheStreamingAnswer_AndTheNextMessageIsAnswered()
    {
        // A slow stream: the story model, one token per 50 ms, so an answer is still being written when it is stopped.
        var services = new ServiceCollection();
        services.AddPadKernel(o => o.AddModel("stories", TestData.StoriesFolder, m => m.MaxOutputTokens = 200))
            .AddModelLoader<Llama2cModelLoader>()
            .UsePreferenceStore(new InMemoryPreferenceStore());
        services.AddPadChatClient().Use(null, SlowStream);
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        var input = new LineFeed();
        using var buffer = new StringWriter();
        TextWriter output = TextWriter.Synchronized(buffer);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No });
        using var repl = new ChatRepl(provider, "alice", 2f, input, output, console);
        Task session = repl.RunAsync(CancellationToken.None);

        input.Send("Once upon a time");
        await UntilAsync(() => Text(buffer, output).Length > "alice> ".Length + 12);
        Assert.True(repl.CancelAnswer());
        await UntilAsync(() => Text(buffer, output).Contains("[answer stopped (Ctrl+C); the session goes on]", StringComparison.Ordinal));
        Assert.False(repl.CancelAnswer());

        input.Send("/prefs");
        await UntilAsync(() => Text(buffer, output).Contains("no preferences remembered for alice", StringComparison.Ordinal));
        input.Send("/exit");
        await session.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(3, Text(buffer, output).Split("alice> ").Length - 1);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> SlowStream(
        IEnumerable<ChatMessage> messages, ChatOptions? options, IChatClient inner, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (ChatResponseUpdate update in inner.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
            await Task.Delay(50, cancellationToken);
        }
    }

    // TextWriter.Synchronized locks the writer it returns; reading the buffer under that lock never sees half a write.
    private static string Text(StringWriter buffer, TextWriter output)
    {
        lock (output)
        {
            return buffer.ToString();
        }
    }

    // A bounded wait for the loop on another thread, not a timing assertion.
    private static async Task UntilAsync(Func<bool> done)
    {
        for (int i = 0; i < 1200 && !done(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(done());
    }

    /// <summary>Standard input a test types into, one line at a time.</summary>
    private sealed class LineFeed : TextReader
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public void Send(string line) => _lines.Writer.TryWrite(line);

        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
            await _lines.Reader.ReadAsync(cancellationToken);
    }
}

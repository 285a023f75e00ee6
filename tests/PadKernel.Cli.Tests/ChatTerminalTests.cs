using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PadKernel.Cli.Tests;

/// <summary>
/// <c>pad chat</c> in a real terminal: tmux runs the pad app, <c>send-keys</c> types as a person would (Enter, Ctrl+C)
/// and <c>capture-pane</c> reads the screen. The preferences live where <c>pad serve</c> keeps them
/// (<c>$PADKERNEL_DATA/preferences.db</c>).
/// </summary>
public sealed class ChatTerminalTests : IDisposable
{
    private const string Story = "Once upon a time";
    private readonly string _folder = Directory.CreateTempSubdirectory("pad-chat-").FullName;
    private readonly string _socket = "pad-chat-test-" + Guid.NewGuid().ToString("N")[..8];
    private int _prompts;

    [Fact]
    public async Task Chat_InATerminal_RemembersPerUser_StreamsAnswers_ComparesTraces_AndSurvivesCtrlC()
    {
        await StartAsync("chat", "--user", "alice", "-n", "40");
        string banner = await NextPromptAsync("alice");
        Assert.Contains("stories260K", banner, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_folder, "preferences.db"), banner, StringComparison.Ordinal);

        string plain = await SayAsync("alice", Story);
        Assert.False(string.IsNullOrWhiteSpace(plain));

        Assert.Contains("remembered for alice: \"The story is about a dog named Max.\" (w=4)", await SayAsync("alice", "/remember The story is about a dog named Max. 4"), StringComparison.Ordinal);
        string steered = await SayAsync("alice", Story);
        Assert.Contains("Max", steered, StringComparison.Ordinal);
        Assert.NotEqual(plain, steered);

        Assert.Contains("1. \"The story is about a dog named Max.\" (w=4)", await SayAsync("alice", "/prefs"), StringComparison.Ordinal);
        string sideBySide = await SayAsync("alice", "/plain");
        Assert.Contains("plain (no preferences)", sideBySide, StringComparison.Ordinal);
        Assert.Contains("with alice's preferences", sideBySide, StringComparison.Ordinal);
        Assert.Matches(@"\d+ of \d+ tokens changed by the reward", await SayAsync("alice", "/trace"));

        // Weight 0 is plain decoding exactly; another user has their own (empty) memory.
        Assert.Contains("(w=0)", await SayAsync("alice", "/weight 1 0"), StringComparison.Ordinal);
        Assert.Equal(plain, await SayAsync("alice", Story));
        Assert.Contains("chatting as bob (0 preference(s) remembered)", await SayAsync("bob", "/user bob"), StringComparison.Ordinal);
        Assert.Equal(plain, await SayAsync("bob", Story));

        // Ctrl+C at the prompt does not end the session (it says how to, and prompts again); a typo gets a suggestion.
        Tmux("send-keys", "-t", "chat", "C-c");
        await NextPromptAsync("bob");
        await ScreenAsync(s => s.Contains("(Ctrl+C stops an answer; /exit or Ctrl+D ends the session)", StringComparison.Ordinal));
        Assert.Contains("did you mean /prefs?", await SayAsync("bob", "/prefz"), StringComparison.Ordinal);
        Assert.Contains("no preferences remembered for bob", await SayAsync("bob", "/prefs"), StringComparison.Ordinal);

        // /exit ends it; alice's memory outlived the session.
        Tmux("send-keys", "-t", "chat", "/exit", "Enter");
        await UntilAsync(() => !HasSession(), "the session did not end after /exit");
        await StartAsync("chat", "--user", "alice");
        await NextPromptAsync("alice");
        Assert.Contains("1. \"The story is about a dog named Max.\" (w=0)", await SayAsync("alice", "/prefs"), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (HasSession())
        {
            Tmux("kill-server");
        }

        Directory.Delete(_folder, recursive: true);
    }

    private async Task StartAsync(params string[] args)
    {
        _prompts = 0;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        string command = string.Join(' ', new[] { dotnet, Path.Combine(AppContext.BaseDirectory, "pad.dll") }.Concat(args).Select(Quote));
        Tmux("new-session", "-d", "-s", "chat", "-x", "150", "-y", "50",
            "-e", $"PADKERNEL_DATA={_folder}", "-e", $"PADKERNEL_CACHE={_folder}", "-e", "PADKERNEL_MODELS=", "-c", _folder, command);
        await Task.CompletedTask;
    }

    /// <summary>Types a line and Enter, waits for the next prompt, and returns what was printed in between.</summary>
    private async Task<string> SayAsync(string nextUser, string line)
    {
        Tmux("send-keys", "-t", "chat", "-l", line);
        Tmux("send-keys", "-t", "chat", "Enter");
        string shown = await NextPromptAsync(nextUser);
        int echo = shown.IndexOf(line, StringComparison.Ordinal);
        return (echo >= 0 ? shown[(echo + line.Length)..] : shown).Trim('\n', ' ');
    }

    /// <summary>Waits for one more prompt than seen so far; returns the screen between the previous prompt and it.</summary>
    private async Task<string> NextPromptAsync(string user)
    {
        int expected = ++_prompts;
        string screen = await ScreenAsync(s => Prompts(s).Count >= expected && Prompts(s)[expected - 1].Value == $"{user}> ");
        List<Match> prompts = Prompts(screen);
        int start = expected >= 2 ? prompts[expected - 2].Index : 0;
        return screen[start..prompts[expected - 1].Index];
    }

    private static List<Match> Prompts(string screen) => Regex.Matches(screen, @"(?m)^\w+> ").ToList();

    private async Task<string> ScreenAsync(Func<string, bool> ready)
    {
        string screen = "";
        await UntilAsync(() => ready(screen = Tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "chat")), () => $"the terminal never showed what was expected; it shows:\n{screen}");
        return screen;
    }

    private static async Task UntilAsync(Func<bool> done, string failure) => await UntilAsync(done, () => failure);

    // A bounded wait for the terminal (the app starting, a model answering on a busy machine), not a timing assertion.
    private static async Task UntilAsync(Func<bool> done, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), failure());
            await Task.Delay(100);
        }
    }

    private bool HasSession()
    {
        using Process process = Process.Start(Start("has-session", "-t", "chat"))!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    private string Tmux(params string[] args)
    {
        using Process process = Process.Start(Start(args))!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 || args[0] == "kill-server", $"tmux {string.Join(' ', args)}: {error}");
        return output;
    }

    private ProcessStartInfo Start(params string[] args)
    {
        // A server of its own (-L): the test never touches anyone else's tmux sessions, and it ends with the last session.
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-L", _socket }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

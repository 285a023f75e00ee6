using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PadKernel.Alignment;
using PadKernel.Cli.Output;
using PadKernel.Decoding;
using PadKernel.Extensions.AI;
using PadKernel.Preferences;
using Spectre.Console;

namespace PadKernel.Cli.Chat;

/// <summary>
/// <c>pad chat</c>'s loop: each line is a message to the model (answered as a stream, through the chat client DI hands
/// out for the current user's scope, so the user's remembered preferences steer it) or a command
/// (<c>/remember</c>, <c>/forget</c>, <c>/prefs</c>, <c>/weight</c>, <c>/user</c>, <c>/plain</c>, <c>/trace</c>,
/// <c>/help</c>, <c>/exit</c>). <see cref="CancelAnswer"/> (Ctrl+C) stops the answer being written, not the session.
/// </summary>
internal sealed class ChatRepl : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly IAnsiConsole _console;
    private readonly float _defaultWeight;
    private readonly List<ChatMessage> _history = [];
    private readonly Lock _lock = new();
    private IServiceScope _scope;
    private string _user;
    private CancellationTokenSource? _answering;
    private LastAnswer? _last;

    public ChatRepl(IServiceProvider services, string user, float defaultWeight, TextReader input, TextWriter output, IAnsiConsole console)
    {
        _services = services;
        _input = input;
        _output = output;
        _console = console;
        _defaultWeight = defaultWeight;
        _user = user;
        _scope = services.CreatePadUserScope(user);
    }

    private IChatClient Chat => _scope.ServiceProvider.GetRequiredService<IChatClient>();

    private IPreferenceStore Store => _scope.ServiceProvider.GetRequiredService<IPreferenceStore>();

    private ChatPreferenceCommands Preferences => new(Store, _user, _defaultWeight, _output);

    /// <summary>Stops the answer being written, if one is; returns whether there was one.</summary>
    public bool CancelAnswer()
    {
        lock (_lock)
        {
            if (_answering is null)
            {
                return false;
            }

            _answering.Cancel();
            return true;
        }
    }

    /// <summary>What Ctrl+C does: stops the answer being written, or at the prompt says how to leave and prompts again.</summary>
    public void Interrupt()
    {
        if (!CancelAnswer())
        {
            _output.Write($"\n(Ctrl+C stops an answer; /exit or Ctrl+D ends the session)\n{_user}> ");
            _output.Flush();
        }
    }

    /// <summary>Runs until <c>/exit</c> or the end of the input (Ctrl+D).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _output.WriteAsync($"{_user}> ");
            await _output.FlushAsync(cancellationToken);
            string? line = await _input.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                await _output.WriteLineAsync();
                return;
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                if (line.StartsWith('/'))
                {
                    if (!await CommandAsync(line, cancellationToken))
                    {
                        return;
                    }
                }
                else
                {
                    await AnswerAsync(line, cancellationToken);
                }
            }
            catch (Exception e) when (e is ArgumentException or PadKernelException && !cancellationToken.IsCancellationRequested)
            {
                // A bad command or message ends in one line; the session goes on.
                await _output.WriteLineAsync($"error: {PadCli.UserMessage(e)}");
            }
        }
    }

    public void Dispose() => _scope.Dispose();

    private async Task AnswerAsync(string message, CancellationToken cancellationToken)
    {
        List<ChatMessage> before = [.. _history, new ChatMessage(ChatRole.User, message)];
        using var answering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_lock)
        {
            _answering = answering;
        }

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        bool cancelled = false;
        try
        {
            await foreach (ChatResponseUpdate update in Chat.GetStreamingResponseAsync(before, cancellationToken: answering.Token))
            {
                text.Append(update.Text);
                finish = update.FinishReason ?? finish;
                await _output.WriteAsync(update.Text);
                await _output.FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        finally
        {
            lock (_lock)
            {
                _answering = null;
            }
        }

        await _output.WriteLineAsync();
        if (cancelled)
        {
            _console.MarkupLine("[dim][[answer stopped (Ctrl+C); the session goes on]][/]");
        }
        else if (finish == ChatFinishReason.Length)
        {
            _console.MarkupLine("[dim][[stopped at the token limit; pad chat -n sets it]][/]");
        }

        _history.Clear();
        _history.AddRange(before);
        _history.Add(new ChatMessage(ChatRole.Assistant, text.ToString()));
        _last = new LastAnswer(before, text.ToString(), cancelled);
    }

    /// <summary>Runs a command; returns false for <c>/exit</c>.</summary>
    private async Task<bool> CommandAsync(string line, CancellationToken cancellationToken)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        string name = (space < 0 ? line : line[..space]).ToLowerInvariant();
        string rest = space < 0 ? "" : line[(space + 1)..].Trim();
        switch (name)
        {
            case "/exit" or "/quit":
                return false;
            case "/help":
                Help();
                break;
            case "/remember":
                await Preferences.RememberAsync(rest, cancellationToken);
                break;
            case "/forget":
                await Preferences.ForgetAsync(rest, cancellationToken);
                break;
            case "/prefs":
                await Preferences.ListAsync(cancellationToken);
                break;
            case "/weight":
                await Preferences.WeightAsync(rest, cancellationToken);
                break;
            case "/user":
                await UserAsync(rest, cancellationToken);
                break;
            case "/plain":
                await PlainAsync(cancellationToken);
                break;
            case "/trace":
                await TraceAsync(rest, cancellationToken);
                break;
            default:
                string? known = Errors.NearestName.Find(name, Commands.Select(c => c.Name));
                await _output.WriteLineAsync(known is null ? $"unknown command {name}; /help lists the commands." : $"unknown command {name}; did you mean {known}?");
                break;
        }

        return true;
    }

    private static readonly (string Name, string Usage, string Description)[] Commands =
    [
        ("/remember", "/remember TEXT [WEIGHT]", "remember a preference for this user (weight: a number at the end, default from --weight)"),
        ("/forget", "/forget N|TEXT|all", "forget preference N of /prefs, the one with this text, or all"),
        ("/prefs", "/prefs", "list this user's remembered preferences"),
        ("/weight", "/weight N|TEXT WEIGHT", "change a preference's weight"),
        ("/user", "/user [NAME]", "show the user, or switch to another one (a new conversation, their own preferences)"),
        ("/plain", "/plain", "the last answer beside plain decoding (no preferences) of the same conversation"),
        ("/trace", "/trace [all]", "the steps of the last answer where the preferences changed the token (all: every step)"),
        ("/help", "/help", "this list"),
        ("/exit", "/exit", "end the session (also Ctrl+D); Ctrl+C stops an answer, not the session"),
    ];

    private void Help()
    {
        var table = new Table().Border(TableBorder.None).HideHeaders().AddColumns("command", "what");
        foreach ((_, string usage, string description) in Commands)
        {
            table.AddRow(Markup.Escape(usage), Markup.Escape(description));
        }

        _console.Write(table);
    }

    private async Task UserAsync(string rest, CancellationToken cancellationToken)
    {
        if (rest.Length > 0 && rest != _user)
        {
            PreferenceText.ValidateUserId(rest, "/user");
            IServiceScope next = _services.CreatePadUserScope(rest);
            _scope.Dispose();
            (_scope, _user, _last) = (next, rest, null);
            _history.Clear();
        }

        int count = (await Store.ListAsync(_user, cancellationToken)).Count;
        await _output.WriteLineAsync($"chatting as {_user} ({count} preference(s) remembered); a new user starts a new conversation");
    }

    private async Task PlainAsync(CancellationToken cancellationToken)
    {
        if (_last is not LastAnswer last)
        {
            await _output.WriteLineAsync("nothing to compare yet: write a message first");
            return;
        }

        // The same conversation without any preference: the user's stored ones off, none given.
        ChatResponse plain = await Chat.GetResponseAsync(last.Before, new ChatOptions().WithPadOptions(new PadRequestOptions { UseStoredPreferences = false }), cancellationToken);
        Preference[] preferences = Described((await PersonalizedRequestAsync(last.Before, cancellationToken)).Rewards);
        string[][] words = [Words(plain.Text), Words(last.Answer)];
        (bool[] plainKept, bool[] padKept) = CommonSubsequence.Mark<string>([.. words[0].Select(w => w.Trim())], [.. words[1].Select(w => w.Trim())]);
        int width = Math.Max(20, (_console.Profile.Width - 7) / 2);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("plain (no preferences)") { Width = width })
            .AddColumn(new TableColumn(Markup.Escape($"with {_user}'s preferences: {Describe(preferences)}")) { Width = width });
        table.AddRow(
            new Markup(string.Join('\n', WordHighlighter.Lines(words[0], [.. plainKept.Select(k => !k)], width))),
            new Markup(string.Join('\n', WordHighlighter.Lines(words[1], [.. padKept.Select(k => !k)], width))));
        _console.Write(table);
    }

    private async Task TraceAsync(string rest, CancellationToken cancellationToken)
    {
        if (_last is not LastAnswer last)
        {
            await _output.WriteLineAsync("no answer to trace yet: write a message first");
            return;
        }

        // The chat client's own decode request for the last turn, replayed with the trace on (greedy replays exactly).
        DecodeRequest request = await PersonalizedRequestAsync(last.Before, cancellationToken);
        request.Options.IncludeTrace = true;
        GenerationResult replay = await Task.Run(() => PadDecoder.Generate(request, cancellationToken), cancellationToken);
        TraceTable.Write(_console, request.Model.Tokenizer, replay.Trace, Described(request.Rewards), allSteps: rest.Equals("all", StringComparison.OrdinalIgnoreCase));
        if (replay.Text != last.Answer && !last.Cancelled)
        {
            _console.MarkupLine("[dim](sampled: this replay drew other tokens than the answer shown; a temperature of 0 replays exactly)[/]");
        }
    }

    // What the pipeline decodes for these messages: the user's preferences resolved as its personalization stage does,
    // then the innermost PadChatClient's request.
    private async Task<DecodeRequest> PersonalizedRequestAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        PadChatClient pad = Chat.GetService<PadChatClient>() ?? throw new InvalidOperationException("The chat client DI built has no PadChatClient inside.");
        PadPreferenceResolver resolver = _scope.ServiceProvider.GetRequiredService<PadPreferenceResolver>();
        ChatOptions options = await resolver.PersonalizeAsync(null, _user, cancellationToken);
        return pad.CreateDecodeRequest(messages, options);
    }

    private static Preference[] Described(IReadOnlyList<RewardContext> rewards) => [.. rewards.Select(r => new Preference(r.Label, r.Weight))];

    private static string[] Words(string text) => [.. System.Text.RegularExpressions.Regex.Matches(text, @"\s*\S+|\s+$").Select(m => m.Value)];

    private static string Describe(IReadOnlyList<Preference> preferences) =>
        preferences.Count == 0 ? "none" : string.Join("; ", preferences.Select(p => string.Create(CultureInfo.InvariantCulture, $"\"{p.Text}\" (w={p.Weight})")));

    private sealed record LastAnswer(IReadOnlyList<ChatMessage> Before, string Answer, bool Cancelled);
}

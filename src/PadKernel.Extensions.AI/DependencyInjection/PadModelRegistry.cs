using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PadKernel.Models;
using PadKernel.Prompts;

namespace PadKernel.Extensions.AI;

/// <summary>
/// The models <c>AddPadKernel</c> configured, each loaded once on first use and shared by every client and request
/// (a singleton). Disposing the registry (the container does) disposes the models it loaded.
/// </summary>
public sealed class PadModelRegistry : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly IModelLoader[] _loaders;
    private readonly Dictionary<string, PadModelOptions> _models;
    private readonly ConcurrentDictionary<string, Lazy<ILanguageModel>> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private bool _disposed;

    /// <summary>The name of the model <see cref="PadKernelOptions.ModelPath"/> registers.</summary>
    internal const string DefaultName = "default";

    /// <summary>Initializes a new instance of the <see cref="PadModelRegistry"/> class.</summary>
    public PadModelRegistry(IServiceProvider services, IOptions<PadKernelOptions> options, IEnumerable<IModelLoader> loaders)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loaders);
        _services = services;
        _loaders = loaders.ToArray();
        PadKernelOptions value = options.Value;
        _models = new Dictionary<string, PadModelOptions>(value.Models, StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(value.ModelPath) && !_models.ContainsKey(DefaultName))
        {
            _models[DefaultName] = new PadModelOptions { Path = value.ModelPath };
        }

        DefaultModelName = value.DefaultModel ?? _models.Keys.FirstOrDefault();
    }

    /// <summary>Gets the names of the configured models.</summary>
    public IReadOnlyCollection<string> ModelNames => _models.Keys;

    /// <summary>Gets the name unkeyed services resolve to, or null when no model is configured.</summary>
    public string? DefaultModelName { get; }

    /// <summary>Returns the model with this name (the default model for null), loading it on first use.</summary>
    /// <exception cref="InvalidOperationException">No such model is configured, or no loader can load its path.</exception>
    /// <exception cref="ModelFormatException">The model's files are missing or corrupt.</exception>
    public ILanguageModel GetModel(string? name = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        string key = ResolveName(name);
        return _loaded.GetOrAdd(key, k => new Lazy<ILanguageModel>(() => Load(k), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>Returns the chat-client settings configured for a model (the default model for null): its template, reward model and <see cref="PadModelOptions"/> as the client's defaults.</summary>
    /// <exception cref="ArgumentException">A configured default is out of range (named by its configuration path).</exception>
    public PadChatClientOptions GetClientOptions(string? name = null)
    {
        string key = ResolveName(name);
        PadModelOptions model = _models[key];
        model.Validate($"{PadKernelOptions.SectionName}:Models:{key}:");
        return new PadChatClientOptions
        {
            ModelId = key,
            ChatTemplate = model.ChatTemplate is null ? null : ChatTemplate.FromName(model.ChatTemplate),
            RewardModel = model.RewardModel is null ? null : GetModel(model.RewardModel),
            RewardModelChatTemplate = model.RewardModel is { } reward && _models[ResolveName(reward)].ChatTemplate is { } template ? ChatTemplate.FromName(template) : null,
            Defaults = model,
        };
    }

    /// <summary>
    /// Starts the pipeline of a model, as <c>AddPadChatClient</c> and the Semantic Kernel connector do: the model's
    /// <see cref="PadChatClient"/> (created from the container the pipeline is built with) behind
    /// <see cref="PadPersonalizationChatClient"/>, added first so it is the outermost stage and personalizes before any
    /// stage chained after it.
    /// </summary>
    /// <param name="model">The name of a configured model; the default model when null. Looked up when the pipeline is built.</param>
    public static ChatClientBuilder CreateChatClientBuilder(string? model = null) =>
        new ChatClientBuilder(sp => sp.GetRequiredService<PadModelRegistry>().CreateClient(model, sp)).UsePadPersonalization();

    /// <summary>Creates the <see cref="PadChatClient"/> of a model (the default model for null), logging to the container's logging.</summary>
    public PadChatClient CreateClient(string? name, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new PadChatClient(GetModel(name), GetClientOptions(name), services.GetService<ILoggerFactory>()?.CreateLogger<PadChatClient>());
    }

    /// <summary>Disposes the models this registry loaded.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (Lazy<ILanguageModel> model in _loaded.Values)
        {
            if (model.IsValueCreated)
            {
                model.Value.Dispose();
            }
        }

        _loaded.Clear();
    }

    private string ResolveName(string? name)
    {
        string? key = name ?? DefaultModelName
            ?? throw new InvalidOperationException("No PadKernel model is configured: set PadKernel:ModelPath or PadKernel:Models, or call AddModel.");
        return _models.ContainsKey(key)
            ? key
            : throw new InvalidOperationException($"No PadKernel model is named '{key}'. Configured: {string.Join(", ", _models.Keys)}.");
    }

    private ILanguageModel Load(string name)
    {
        PadModelOptions model = _models[name];
        if (model.Factory is not null)
        {
            return model.Factory(_services);
        }

        if (string.IsNullOrWhiteSpace(model.Path))
        {
            throw new InvalidOperationException($"PadKernel model '{name}' has neither a Path nor a factory.");
        }

        IModelLoader loader = _loaders.FirstOrDefault(l => l.CanLoad(model.Path))
            ?? throw new InvalidOperationException(_loaders.Length == 0
                ? $"No model loader is registered for PadKernel model '{name}'; add one with AddPadKernel(...).AddModelLoader(...)."
                : $"None of the registered loaders ({string.Join(", ", _loaders.Select(l => l.Runtime))}) can load PadKernel model '{name}' at '{model.Path}'. Does the path exist?");
        return loader.Load(model.Path);
    }
}

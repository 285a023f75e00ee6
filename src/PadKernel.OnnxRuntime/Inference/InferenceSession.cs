using System.Runtime.InteropServices;
using PadKernel.OnnxRuntime.Native;

namespace PadKernel.OnnxRuntime;

/// <summary>An ONNX Runtime session over one <c>.onnx</c> file, with its input and output metadata.</summary>
/// <remarks>Thread-safe: ONNX Runtime allows concurrent <c>Run</c> calls on one session.</remarks>
public sealed class InferenceSession : IDisposable
{
    private static readonly Lock EnvGate = new();
    private static OrtEnvHandle? environment;
    private static OrtMemoryInfoHandle? cpuMemory;

    private readonly OrtSessionHandle session;
    private readonly nint[] inputNamePointers;
    private readonly nint[] outputNamePointers;
    private bool disposed;

    /// <summary>Creates a session for <paramref name="modelPath"/>.</summary>
    /// <param name="modelPath">The <c>.onnx</c> file.</param>
    /// <param name="options">Library, provider and threading options.</param>
    /// <param name="sessionConfigEntries">Plain session configuration entries (<c>AddSessionConfigEntry</c> keys such as <c>session.intra_op.allow_spinning</c>).</param>
    /// <param name="logId">The session's log id.</param>
    /// <exception cref="OnnxRuntimeNotFoundException">The native library is missing.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the model or an option.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The requested execution provider cannot be used.</exception>
    public InferenceSession(string modelPath, OnnxRuntimeOptions? options = null, IReadOnlyDictionary<string, string>? sessionConfigEntries = null, string? logId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options ??= new OnnxRuntimeOptions();
        NativeMethods.Initialize(options.NativeLibraryPath);
        OrtEnvHandle env = Environment;

        using var sessionOptions = new OrtSessionOptionsHandle(NativeMethods.CreateSessionOptions());
        NativeMethods.SetGraphOptimizationLevel(sessionOptions, (int)options.GraphOptimizationLevel);
        if (options.IntraOpThreads is int intra)
        {
            NativeMethods.SetIntraOpNumThreads(sessionOptions, intra);
        }

        if (options.InterOpThreads is int inter)
        {
            NativeMethods.SetInterOpNumThreads(sessionOptions, inter);
        }

        if (logId is not null)
        {
            NativeMethods.SetSessionLogId(sessionOptions, logId);
        }

        foreach ((string key, string value) in sessionConfigEntries ?? new Dictionary<string, string>())
        {
            NativeMethods.AddSessionConfigEntry(sessionOptions, key, value);
        }

        switch (options.ExecutionProvider.ToUpperInvariant())
        {
            case "CPU" or "":
                break;
            case "CUDA":
                try
                {
                    NativeMethods.AppendCudaExecutionProvider(sessionOptions, options.DeviceId);
                }
                catch (OnnxRuntimeException ex)
                {
                    throw new ExecutionProviderUnavailableException(
                        "cuda",
                        "The CUDA execution provider is not available: it needs ONNX Runtime's CUDA provider library " +
                        "(libonnxruntime_providers_cuda, shipped by the GPU build of ONNX Runtime next to the main library) and CUDA/cuDNN. " +
                        $"Point {OnnxRuntimeOptions.LibraryPathEnvironmentVariable} at a GPU build of ONNX Runtime, or use the cpu provider. ({ex.Message})",
                        ex);
                }

                break;
            default:
                throw new ArgumentException($"Unknown execution provider '{options.ExecutionProvider}'; use 'cpu' or 'cuda'.", nameof(options));
        }

        session = new OrtSessionHandle(NativeMethods.CreateSession(env, modelPath, sessionOptions));
        try
        {
            int inputCount = NativeMethods.GetInputCount(session);
            var inputs = new TensorInfo[inputCount];
            inputNamePointers = new nint[inputCount];
            for (int i = 0; i < inputCount; i++)
            {
                string name = NativeMethods.GetInputName(session, i);
                inputs[i] = NativeMethods.GetInputInfo(session, i, name);
                inputNamePointers[i] = Marshal.StringToCoTaskMemUTF8(name);
            }

            int outputCount = NativeMethods.GetOutputCount(session);
            var outputs = new TensorInfo[outputCount];
            outputNamePointers = new nint[outputCount];
            for (int i = 0; i < outputCount; i++)
            {
                string name = NativeMethods.GetOutputName(session, i);
                outputs[i] = NativeMethods.GetOutputInfo(session, i, name);
                outputNamePointers[i] = Marshal.StringToCoTaskMemUTF8(name);
            }

            Inputs = inputs;
            Outputs = outputs;
        }
        catch
        {
            FreeNames();
            session.Dispose();
            throw;
        }

        ModelPath = modelPath;
    }

    /// <summary>Gets the version of the loaded ONNX Runtime library.</summary>
    public static string RuntimeVersion => NativeMethods.Version;

    /// <summary>Gets the path of the loaded native library, or null before the first session.</summary>
    public static string? LibraryPath => OnnxRuntimeLibrary.LoadedPath;

    /// <summary>Gets the model file.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the model's inputs, in session order.</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>Gets the model's outputs, in session order.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    internal static nint CpuMemoryInfo
    {
        get
        {
            _ = Environment;
            return cpuMemory!.DangerousGetHandle();
        }
    }

    private static OrtEnvHandle Environment
    {
        get
        {
            lock (EnvGate)
            {
                // One OrtEnv per process, as ONNX Runtime requires; it lives as long as the process.
                environment ??= new OrtEnvHandle(NativeMethods.CreateEnv("PadKernel"));
                cpuMemory ??= new OrtMemoryInfoHandle(NativeMethods.CreateCpuMemoryInfo());
                return environment;
            }
        }
    }

    /// <summary>Gets the native UTF-8 name of input <paramref name="index"/>, for <see cref="Run"/>.</summary>
    internal nint InputNamePointer(int index) => inputNamePointers[index];

    /// <summary>Gets the native UTF-8 name of output <paramref name="index"/>, for <see cref="Run"/>.</summary>
    internal nint OutputNamePointer(int index) => outputNamePointers[index];

    /// <summary>Runs the session; on success every slot of <paramref name="outputs"/> owns a new OrtValue the caller releases.</summary>
    internal void Run(ReadOnlySpan<nint> inputNames, ReadOnlySpan<nint> inputs, ReadOnlySpan<nint> outputNames, Span<nint> outputs)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        bool added = false;
        session.DangerousAddRef(ref added);
        try
        {
            NativeMethods.Run(session, inputNames, inputs, outputNames, outputs);
        }
        finally
        {
            if (added)
            {
                session.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        session.Dispose();
        FreeNames();
    }

    private void FreeNames()
    {
        foreach (nint[]? names in new[] { inputNamePointers, outputNamePointers })
        {
            if (names is null)
            {
                continue;
            }

            for (int i = 0; i < names.Length; i++)
            {
                Marshal.FreeCoTaskMem(names[i]);
                names[i] = 0;
            }
        }
    }
}

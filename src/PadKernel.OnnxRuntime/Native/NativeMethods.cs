using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// The one place that talks to ONNX Runtime's C API: <c>OrtGetApiBase()</c>, then the <c>OrtApi</c> function table,
/// whose slots are read by their index in <c>struct OrtApi</c> (onnxruntime_c_api.h). The table is append-only across
/// ONNX Runtime versions, so these indices hold for every version at or above the one asked for.
/// </summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>The name DllImport asks for; <see cref="OnnxRuntimeLibrary"/> resolves it to the loaded file.</summary>
    public const string LibraryName = "onnxruntime";

    /// <summary>The oldest API version whose table holds every slot used here (SessionOptionsAppendExecutionProvider_CUDA is the last).</summary>
    private const uint MinimumApiVersion = 13;

    private static readonly Lock Gate = new();
    private static volatile bool initialized;

    // Slot indices in struct OrtApi, in header order.
    private const int SlotGetErrorCode = 1;
    private const int SlotGetErrorMessage = 2;
    private const int SlotCreateEnv = 3;
    private const int SlotCreateSession = 7;
    private const int SlotRun = 9;
    private const int SlotCreateSessionOptions = 10;
    private const int SlotSetSessionLogId = 20;
    private const int SlotSetSessionGraphOptimizationLevel = 23;
    private const int SlotSetIntraOpNumThreads = 24;
    private const int SlotSetInterOpNumThreads = 25;
    private const int SlotSessionGetInputCount = 30;
    private const int SlotSessionGetOutputCount = 31;
    private const int SlotSessionGetInputTypeInfo = 33;
    private const int SlotSessionGetOutputTypeInfo = 34;
    private const int SlotSessionGetInputName = 36;
    private const int SlotSessionGetOutputName = 37;
    private const int SlotCreateTensorWithDataAsOrtValue = 49;
    private const int SlotGetTensorMutableData = 51;
    private const int SlotCastTypeInfoToTensorInfo = 55;
    private const int SlotGetTensorElementType = 60;
    private const int SlotGetDimensionsCount = 61;
    private const int SlotGetDimensions = 62;
    private const int SlotGetTensorTypeAndShape = 65;
    private const int SlotCreateCpuMemoryInfo = 69;
    private const int SlotAllocatorFree = 76;
    private const int SlotGetAllocatorWithDefaultOptions = 78;
    private const int SlotReleaseEnv = 92;
    private const int SlotReleaseStatus = 93;
    private const int SlotReleaseMemoryInfo = 94;
    private const int SlotReleaseSession = 95;
    private const int SlotReleaseValue = 96;
    private const int SlotReleaseTypeInfo = 98;
    private const int SlotReleaseTensorTypeAndShapeInfo = 99;
    private const int SlotReleaseSessionOptions = 100;
    private const int SlotAddSessionConfigEntry = 130;
    private const int SlotSessionOptionsAppendExecutionProviderCuda = 152;

    private static delegate* unmanaged<nint, OnnxRuntimeErrorCode> getErrorCode;
    private static delegate* unmanaged<nint, byte*> getErrorMessage;
    private static delegate* unmanaged<int, byte*, nint*, nint> createEnv;
    private static delegate* unmanaged<nint, void*, nint, nint*, nint> createSession;
    private static delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> run;
    private static delegate* unmanaged<nint*, nint> createSessionOptions;
    private static delegate* unmanaged<nint, byte*, nint> setSessionLogId;
    private static delegate* unmanaged<nint, int, nint> setSessionGraphOptimizationLevel;
    private static delegate* unmanaged<nint, int, nint> setIntraOpNumThreads;
    private static delegate* unmanaged<nint, int, nint> setInterOpNumThreads;
    private static delegate* unmanaged<nint, nuint*, nint> sessionGetInputCount;
    private static delegate* unmanaged<nint, nuint*, nint> sessionGetOutputCount;
    private static delegate* unmanaged<nint, nuint, nint*, nint> sessionGetInputTypeInfo;
    private static delegate* unmanaged<nint, nuint, nint*, nint> sessionGetOutputTypeInfo;
    private static delegate* unmanaged<nint, nuint, nint, byte**, nint> sessionGetInputName;
    private static delegate* unmanaged<nint, nuint, nint, byte**, nint> sessionGetOutputName;
    private static delegate* unmanaged<nint, void*, nuint, long*, nuint, TensorElementType, nint*, nint> createTensorWithDataAsOrtValue;
    private static delegate* unmanaged<nint, void**, nint> getTensorMutableData;
    private static delegate* unmanaged<nint, nint*, nint> castTypeInfoToTensorInfo;
    private static delegate* unmanaged<nint, TensorElementType*, nint> getTensorElementType;
    private static delegate* unmanaged<nint, nuint*, nint> getDimensionsCount;
    private static delegate* unmanaged<nint, long*, nuint, nint> getDimensions;
    private static delegate* unmanaged<nint, nint*, nint> getTensorTypeAndShape;
    private static delegate* unmanaged<int, int, nint*, nint> createCpuMemoryInfo;
    private static delegate* unmanaged<nint, void*, nint> allocatorFree;
    private static delegate* unmanaged<nint*, nint> getAllocatorWithDefaultOptions;
    private static delegate* unmanaged<nint, void> releaseEnv;
    private static delegate* unmanaged<nint, void> releaseStatus;
    private static delegate* unmanaged<nint, void> releaseMemoryInfo;
    private static delegate* unmanaged<nint, void> releaseSession;
    private static delegate* unmanaged<nint, void> releaseValue;
    private static delegate* unmanaged<nint, void> releaseTypeInfo;
    private static delegate* unmanaged<nint, void> releaseTensorTypeAndShapeInfo;
    private static delegate* unmanaged<nint, void> releaseSessionOptions;
    private static delegate* unmanaged<nint, byte*, byte*, nint> addSessionConfigEntry;
    private static delegate* unmanaged<nint, CudaProviderOptions*, nint> appendExecutionProviderCuda;

    /// <summary>Gets the version string the library reports (for example <c>1.30.0</c>).</summary>
    public static string Version { get; private set; } = "";

    /// <summary>Gets the API version the function table was obtained for.</summary>
    public static uint ApiVersion { get; private set; }

    /// <summary>Loads the library (once) and reads the function table.</summary>
    public static void Initialize(string? libraryPath)
    {
        if (initialized)
        {
            return;
        }

        lock (Gate)
        {
            if (initialized)
            {
                return;
            }

            OnnxRuntimeLibrary.Load(libraryPath);
            OrtApiBase* apiBase = OrtGetApiBase();
            string version = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "";

            // Pin the table to the version the library itself reports: ORT's API version is its minor version.
            string[] parts = version.Split('.');
            if (parts.Length < 2 || !uint.TryParse(parts[1], out uint apiVersion) || apiVersion < MinimumApiVersion)
            {
                throw new OnnxRuntimeNotFoundException(
                    $"The ONNX Runtime library at {OnnxRuntimeLibrary.LoadedPath} reports version '{version}'; PadKernel needs 1.{MinimumApiVersion} or later.");
            }

            nint* api = (nint*)apiBase->GetApi(apiVersion);
            if (api is null)
            {
                throw new OnnxRuntimeNotFoundException($"The ONNX Runtime library at {OnnxRuntimeLibrary.LoadedPath} (version {version}) does not provide API version {apiVersion}.");
            }

            getErrorCode = (delegate* unmanaged<nint, OnnxRuntimeErrorCode>)api[SlotGetErrorCode];
            getErrorMessage = (delegate* unmanaged<nint, byte*>)api[SlotGetErrorMessage];
            createEnv = (delegate* unmanaged<int, byte*, nint*, nint>)api[SlotCreateEnv];
            createSession = (delegate* unmanaged<nint, void*, nint, nint*, nint>)api[SlotCreateSession];
            run = (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)api[SlotRun];
            createSessionOptions = (delegate* unmanaged<nint*, nint>)api[SlotCreateSessionOptions];
            setSessionLogId = (delegate* unmanaged<nint, byte*, nint>)api[SlotSetSessionLogId];
            setSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)api[SlotSetSessionGraphOptimizationLevel];
            setIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)api[SlotSetIntraOpNumThreads];
            setInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)api[SlotSetInterOpNumThreads];
            sessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)api[SlotSessionGetInputCount];
            sessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)api[SlotSessionGetOutputCount];
            sessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)api[SlotSessionGetInputTypeInfo];
            sessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)api[SlotSessionGetOutputTypeInfo];
            sessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)api[SlotSessionGetInputName];
            sessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)api[SlotSessionGetOutputName];
            createTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, TensorElementType, nint*, nint>)api[SlotCreateTensorWithDataAsOrtValue];
            getTensorMutableData = (delegate* unmanaged<nint, void**, nint>)api[SlotGetTensorMutableData];
            castTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)api[SlotCastTypeInfoToTensorInfo];
            getTensorElementType = (delegate* unmanaged<nint, TensorElementType*, nint>)api[SlotGetTensorElementType];
            getDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)api[SlotGetDimensionsCount];
            getDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)api[SlotGetDimensions];
            getTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)api[SlotGetTensorTypeAndShape];
            createCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)api[SlotCreateCpuMemoryInfo];
            allocatorFree = (delegate* unmanaged<nint, void*, nint>)api[SlotAllocatorFree];
            getAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)api[SlotGetAllocatorWithDefaultOptions];
            releaseEnv = (delegate* unmanaged<nint, void>)api[SlotReleaseEnv];
            releaseStatus = (delegate* unmanaged<nint, void>)api[SlotReleaseStatus];
            releaseMemoryInfo = (delegate* unmanaged<nint, void>)api[SlotReleaseMemoryInfo];
            releaseSession = (delegate* unmanaged<nint, void>)api[SlotReleaseSession];
            releaseValue = (delegate* unmanaged<nint, void>)api[SlotReleaseValue];
            releaseTypeInfo = (delegate* unmanaged<nint, void>)api[SlotReleaseTypeInfo];
            releaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)api[SlotReleaseTensorTypeAndShapeInfo];
            releaseSessionOptions = (delegate* unmanaged<nint, void>)api[SlotReleaseSessionOptions];
            addSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)api[SlotAddSessionConfigEntry];
            appendExecutionProviderCuda = (delegate* unmanaged<nint, CudaProviderOptions*, nint>)api[SlotSessionOptionsAppendExecutionProviderCuda];

            Version = version;
            ApiVersion = apiVersion;
            initialized = true;
        }
    }

    [LibraryImport(LibraryName)]
    private static partial OrtApiBase* OrtGetApiBase();

    /// <summary>Turns a non-null <c>OrtStatus*</c> into an <see cref="OnnxRuntimeException"/> (and releases it).</summary>
    public static void Check(nint status, string? context = null)
    {
        if (status == 0)
        {
            return;
        }

        OnnxRuntimeErrorCode code = getErrorCode(status);
        string message = Marshal.PtrToStringUTF8((nint)getErrorMessage(status)) ?? "(no message)";
        releaseStatus(status);
        throw new OnnxRuntimeException(code, context is null ? message : $"{context}: {message}");
    }

    public static nint CreateEnv(string logId)
    {
        nint env;
        fixed (byte* id = Utf8Z(logId))
        {
            Check(createEnv(3 /* ORT_LOGGING_LEVEL_ERROR */, id, &env));
        }

        return env;
    }

    public static nint CreateSessionOptions()
    {
        nint options;
        Check(createSessionOptions(&options));
        return options;
    }

    public static void SetSessionLogId(OrtSessionOptionsHandle options, string logId)
    {
        fixed (byte* id = Utf8Z(logId))
        {
            Check(setSessionLogId(options.DangerousGetHandle(), id));
        }
    }

    public static void SetGraphOptimizationLevel(OrtSessionOptionsHandle options, int level) =>
        Check(setSessionGraphOptimizationLevel(options.DangerousGetHandle(), level));

    public static void SetIntraOpNumThreads(OrtSessionOptionsHandle options, int threads) =>
        Check(setIntraOpNumThreads(options.DangerousGetHandle(), threads), "intra_op_num_threads");

    public static void SetInterOpNumThreads(OrtSessionOptionsHandle options, int threads) =>
        Check(setInterOpNumThreads(options.DangerousGetHandle(), threads), "inter_op_num_threads");

    public static void AddSessionConfigEntry(OrtSessionOptionsHandle options, string key, string value)
    {
        fixed (byte* k = Utf8Z(key))
        fixed (byte* v = Utf8Z(value))
        {
            Check(addSessionConfigEntry(options.DangerousGetHandle(), k, v), $"session option '{key}'");
        }
    }

    public static void AppendCudaExecutionProvider(OrtSessionOptionsHandle options, int deviceId)
    {
        // OrtCUDAProviderOptions, zero-initialised with the header's defaults; trailing space covers fields newer
        // versions appended (they default to zero).
        var cuda = new CudaProviderOptions
        {
            DeviceId = deviceId,
            CudnnConvAlgoSearch = 0,
            GpuMemLimit = nuint.MaxValue,
            DoCopyInDefaultStream = 1,
        };
        Check(appendExecutionProviderCuda(options.DangerousGetHandle(), &cuda), "adding the CUDA execution provider");
    }

    public static nint CreateSession(OrtEnvHandle env, string modelPath, OrtSessionOptionsHandle options)
    {
        nint session;
        if (OperatingSystem.IsWindows())
        {
            fixed (char* path = modelPath)
            {
                Check(createSession(env.DangerousGetHandle(), path, options.DangerousGetHandle(), &session));
            }
        }
        else
        {
            fixed (byte* path = Utf8Z(modelPath))
            {
                Check(createSession(env.DangerousGetHandle(), path, options.DangerousGetHandle(), &session));
            }
        }

        return session;
    }

    public static int GetInputCount(OrtSessionHandle session)
    {
        nuint count;
        Check(sessionGetInputCount(session.DangerousGetHandle(), &count));
        return (int)count;
    }

    public static int GetOutputCount(OrtSessionHandle session)
    {
        nuint count;
        Check(sessionGetOutputCount(session.DangerousGetHandle(), &count));
        return (int)count;
    }

    public static string GetInputName(OrtSessionHandle session, int index) => GetName(session, index, sessionGetInputName);

    public static string GetOutputName(OrtSessionHandle session, int index) => GetName(session, index, sessionGetOutputName);

    public static TensorInfo GetInputInfo(OrtSessionHandle session, int index, string name) => GetInfo(session, index, name, sessionGetInputTypeInfo);

    public static TensorInfo GetOutputInfo(OrtSessionHandle session, int index, string name) => GetInfo(session, index, name, sessionGetOutputTypeInfo);

    public static nint CreateCpuMemoryInfo()
    {
        nint info;
        Check(createCpuMemoryInfo(1 /* OrtArenaAllocator */, 0 /* OrtMemTypeDefault */, &info));
        return info;
    }

    /// <summary>Creates a tensor over caller-owned memory that must stay pinned until the value is released.</summary>
    public static nint CreateTensor(nint memoryInfo, void* data, nuint byteLength, ReadOnlySpan<long> shape, TensorElementType type)
    {
        nint value;
        fixed (long* dims = shape)
        {
            Check(createTensorWithDataAsOrtValue(memoryInfo, data, byteLength, dims, (nuint)shape.Length, type, &value));
        }

        return value;
    }

    public static void* GetTensorData(nint value)
    {
        void* data;
        Check(getTensorMutableData(value, &data));
        return data;
    }

    /// <summary>Reads a tensor value's shape into <paramref name="shape"/> and returns the rank.</summary>
    public static int GetTensorShape(nint value, Span<long> shape)
    {
        nint info;
        Check(getTensorTypeAndShape(value, &info));
        try
        {
            nuint rank;
            Check(getDimensionsCount(info, &rank));
            if ((int)rank > shape.Length)
            {
                throw new OnnxRuntimeException(OnnxRuntimeErrorCode.Fail, $"tensor of rank {rank} where at most {shape.Length} was expected");
            }

            fixed (long* dims = shape)
            {
                Check(getDimensions(info, dims, rank));
            }

            return (int)rank;
        }
        finally
        {
            releaseTensorTypeAndShapeInfo(info);
        }
    }

    /// <summary>Runs the session. <paramref name="outputs"/> must be zeroed; on success each slot owns a new value.</summary>
    public static void Run(OrtSessionHandle session, ReadOnlySpan<nint> inputNames, ReadOnlySpan<nint> inputs, ReadOnlySpan<nint> outputNames, Span<nint> outputs)
    {
        fixed (nint* inNames = inputNames)
        fixed (nint* inValues = inputs)
        fixed (nint* outNames = outputNames)
        fixed (nint* outValues = outputs)
        {
            Check(run(session.DangerousGetHandle(), 0, inNames, inValues, (nuint)inputs.Length, outNames, (nuint)outputNames.Length, outValues));
        }
    }

    public static void ReleaseEnv(nint handle) => releaseEnv(handle);

    public static void ReleaseSessionOptions(nint handle) => releaseSessionOptions(handle);

    public static void ReleaseSession(nint handle) => releaseSession(handle);

    public static void ReleaseValue(nint handle) => releaseValue(handle);

    public static void ReleaseMemoryInfo(nint handle) => releaseMemoryInfo(handle);

    private static string GetName(OrtSessionHandle session, int index, delegate* unmanaged<nint, nuint, nint, byte**, nint> getter)
    {
        nint allocator;
        Check(getAllocatorWithDefaultOptions(&allocator));
        byte* name;
        Check(getter(session.DangerousGetHandle(), (nuint)index, allocator, &name));
        try
        {
            return Marshal.PtrToStringUTF8((nint)name) ?? "";
        }
        finally
        {
            Check(allocatorFree(allocator, name));
        }
    }

    private static TensorInfo GetInfo(OrtSessionHandle session, int index, string name, delegate* unmanaged<nint, nuint, nint*, nint> getter)
    {
        nint typeInfo;
        Check(getter(session.DangerousGetHandle(), (nuint)index, &typeInfo));
        try
        {
            nint tensorInfo;
            Check(castTypeInfoToTensorInfo(typeInfo, &tensorInfo));
            if (tensorInfo == 0)
            {
                // Not a tensor (a sequence or map): no language model input or output has that type.
                return new TensorInfo(name, TensorElementType.Undefined, []);
            }

            TensorElementType type;
            Check(getTensorElementType(tensorInfo, &type));
            nuint rank;
            Check(getDimensionsCount(tensorInfo, &rank));
            long[] dims = new long[(int)rank];
            fixed (long* d = dims)
            {
                Check(getDimensions(tensorInfo, d, rank));
            }

            return new TensorInfo(name, type, dims);
        }
        finally
        {
            releaseTypeInfo(typeInfo);
        }
    }

    private static byte[] Utf8Z(string text)
    {
        byte[] bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OrtApiBase
    {
        public delegate* unmanaged<uint, void*> GetApi;
        public delegate* unmanaged<byte*> GetVersionString;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CudaProviderOptions
    {
        public int DeviceId;
        public int CudnnConvAlgoSearch;
        public nuint GpuMemLimit;
        public int ArenaExtendStrategy;
        public int DoCopyInDefaultStream;
        public int HasUserComputeStream;
        public nint UserComputeStream;
        public nint DefaultMemoryArenaCfg;
        public int TunableOpEnable;
        public int TunableOpTuningEnable;
        public int TunableOpMaxTuningDurationMs;
        public int Reserved0;
        public long Reserved1;
        public long Reserved2;
    }
}

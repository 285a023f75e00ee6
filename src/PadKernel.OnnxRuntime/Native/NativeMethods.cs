using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// The slice of ONNX Runtime GenAI's C API (<c>ort_genai_c.h</c>, 0.18) that PadKernel uses, bound by P/Invoke.
/// The native library comes from the <c>Microsoft.ML.OnnxRuntimeGenAI</c> NuGet package (runtimes/&lt;rid&gt;/native).
/// </summary>
/// <remarks>
/// Every function returning <c>OgaResult*</c> returns null on success; <see cref="Check"/> turns a non-null result
/// into an <see cref="OnnxRuntimeException"/> carrying GenAI's message and frees the result.
/// </remarks>
internal static unsafe partial class NativeMethods
{
    private const string Library = "onnxruntime-genai";

    /// <summary>GenAI's <c>OgaElementType</c> values used here.</summary>
    internal enum ElementType
    {
        Float32 = 1,
        Int32 = 6,
        Float16 = 10,
    }

    /// <summary>Throws when <paramref name="result"/> reports an error.</summary>
    public static void Check(nint result, string action)
    {
        if (result == 0)
        {
            return;
        }

        string message;
        try
        {
            message = Marshal.PtrToStringUTF8(OgaResultGetError(result)) ?? "unknown error";
        }
        finally
        {
            OgaDestroyResult(result);
        }

        throw new OnnxRuntimeException($"{action}: {message}");
    }

    /// <summary>Copies a GenAI-owned string and frees it with <c>OgaDestroyString</c>.</summary>
    public static string TakeString(nint value)
    {
        try
        {
            return Marshal.PtrToStringUTF8(value) ?? string.Empty;
        }
        finally
        {
            if (value != 0)
            {
                OgaDestroyString(value);
            }
        }
    }

    [LibraryImport(Library)]
    internal static partial nint OgaResultGetError(nint result);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyResult(nint result);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyString(nint value);

    // Config and model.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaCreateConfig(string configPath, out nint config);

    [LibraryImport(Library)]
    internal static partial nint OgaConfigClearProviders(ConfigHandle config);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaConfigAppendProvider(ConfigHandle config, string provider);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaConfigSetProviderOption(ConfigHandle config, string provider, string key, string value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaConfigOverlay(ConfigHandle config, string json);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyConfig(nint config);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool OgaGenerator_IsDone(GeneratorHandle generator);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_GetNextTokens(GeneratorHandle generator, out int* tokens, out nuint count);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateModelFromConfig(ConfigHandle config, out nint model);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyModel(nint model);

    // Generator parameters and generator.
    [LibraryImport(Library)]
    internal static partial nint OgaCreateGeneratorParams(ModelHandle model, out nint parameters);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaGeneratorParamsSetSearchNumber(GeneratorParamsHandle parameters, string name, double value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaGeneratorParamsSetSearchBool(GeneratorParamsHandle parameters, string name, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyGeneratorParams(nint parameters);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateGenerator(ModelHandle model, GeneratorParamsHandle parameters, out nint generator);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyGenerator(nint generator);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_AppendTokens(GeneratorHandle generator, int* tokens, nuint count);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_AppendTokenSequences(GeneratorHandle generator, SequencesHandle sequences);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_GenerateNextToken(GeneratorHandle generator);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_GetLogits(GeneratorHandle generator, out nint tensor);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_SetLogits(GeneratorHandle generator, TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_RewindTo(GeneratorHandle generator, nuint length);

    // Token sequences (prompt input for batched generators).
    [LibraryImport(Library)]
    internal static partial nint OgaCreateSequences(out nint sequences);

    [LibraryImport(Library)]
    internal static partial nint OgaAppendTokenSequence(int* tokens, nuint count, SequencesHandle sequences);

    [LibraryImport(Library)]
    internal static partial nuint OgaSequencesGetSequenceCount(SequencesHandle sequences, nuint index);

    [LibraryImport(Library)]
    internal static partial int* OgaSequencesGetSequenceData(SequencesHandle sequences, nuint index);

    [LibraryImport(Library)]
    internal static partial void OgaDestroySequences(nint sequences);

    // Tensors.
    [LibraryImport(Library)]
    internal static partial nint OgaCreateTensorFromBuffer(void* data, long* shape, nuint rank, ElementType type, out nint tensor);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyTensor(nint tensor);

    [LibraryImport(Library)]
    internal static partial nint OgaTensorGetType(nint tensor, out ElementType type);

    [LibraryImport(Library)]
    internal static partial nint OgaTensorGetShapeRank(nint tensor, out nuint rank);

    [LibraryImport(Library)]
    internal static partial nint OgaTensorGetShape(nint tensor, long* shape, nuint rank);

    [LibraryImport(Library)]
    internal static partial nint OgaTensorGetData(nint tensor, out void* data);

    // Tokenizer.
    [LibraryImport(Library)]
    internal static partial nint OgaCreateTokenizer(ModelHandle model, out nint tokenizer);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyTokenizer(nint tokenizer);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaTokenizerEncode(TokenizerHandle tokenizer, string text, SequencesHandle sequences);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaTokenizerApplyChatTemplate(TokenizerHandle tokenizer, string? template, string messages, string? tools, [MarshalAs(UnmanagedType.U1)] bool addGenerationPrompt, out nint text);
}

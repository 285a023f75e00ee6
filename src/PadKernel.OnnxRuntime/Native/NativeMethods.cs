using System.Runtime.InteropServices;

namespace PadKernel.OnnxRuntime.Native;

/// <summary>
/// The slice of ONNX Runtime GenAI's C API (<c>ort_genai_c.h</c>, 0.18–0.20) that PadKernel uses, bound by P/Invoke.
/// The native library comes from the <c>Microsoft.ML.OnnxRuntimeGenAI</c> NuGet package (runtimes/&lt;rid&gt;/native).
/// Only the <c>Oga*</c> types of this folder call it: one managed type per native object, every call returning
/// <c>OgaResult*</c> checked by <see cref="OgaResult.Verify"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Library = "onnxruntime-genai";

    // Results and strings.
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
    internal static partial nint OgaConfigClearProviders(OgaConfig config);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaConfigAppendProvider(OgaConfig config, string provider);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaConfigSetProviderOption(OgaConfig config, string provider, string key, string value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaConfigOverlay(OgaConfig config, string json);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyConfig(nint config);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateModelFromConfig(OgaConfig config, out nint model);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyModel(nint model);

    // Generator parameters.
    [LibraryImport(Library)]
    internal static partial nint OgaCreateGeneratorParams(OgaModel model, out nint parameters);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaGeneratorParamsSetSearchNumber(OgaGeneratorParams parameters, string name, double value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaGeneratorParamsSetSearchBool(OgaGeneratorParams parameters, string name, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaGeneratorParamsGetSearchNumber(OgaGeneratorParams parameters, string name, out double value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaGeneratorParamsGetSearchBool(OgaGeneratorParams parameters, string name, [MarshalAs(UnmanagedType.U1)] out bool value);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyGeneratorParams(nint parameters);

    // Generator.
    [LibraryImport(Library)]
    internal static partial nint OgaCreateGenerator(OgaModel model, OgaGeneratorParams parameters, out nint generator);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyGenerator(nint generator);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool OgaGenerator_IsDone(OgaGenerator generator);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_AppendTokens(OgaGenerator generator, int* tokens, nuint count);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_AppendTokenSequences(OgaGenerator generator, OgaSequences sequences);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_GenerateNextToken(OgaGenerator generator);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_GetNextTokens(OgaGenerator generator, out int* tokens, out nuint count);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_GetLogits(OgaGenerator generator, out nint tensor);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_SetLogits(OgaGenerator generator, OgaTensor tensor);

    [LibraryImport(Library)]
    internal static partial nint OgaGenerator_RewindTo(OgaGenerator generator, nuint length);

    // Token sequences (prompt input for batched generators, tokenizer output).
    [LibraryImport(Library)]
    internal static partial nint OgaCreateSequences(out nint sequences);

    [LibraryImport(Library)]
    internal static partial nint OgaAppendTokenSequence(int* tokens, nuint count, OgaSequences sequences);

    [LibraryImport(Library)]
    internal static partial nuint OgaSequencesGetSequenceCount(OgaSequences sequences, nuint index);

    [LibraryImport(Library)]
    internal static partial int* OgaSequencesGetSequenceData(OgaSequences sequences, nuint index);

    [LibraryImport(Library)]
    internal static partial void OgaDestroySequences(nint sequences);

    // Tensors.
    [LibraryImport(Library)]
    internal static partial nint OgaCreateTensorFromBuffer(void* data, long* shape, nuint rank, OgaElementType type, out nint tensor);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyTensor(nint tensor);

    [LibraryImport(Library)]
    internal static partial nint OgaTensorGetType(nint tensor, out OgaElementType type);

    [LibraryImport(Library)]
    internal static partial nint OgaTensorGetShapeRank(nint tensor, out nuint rank);

    [LibraryImport(Library)]
    internal static partial nint OgaTensorGetShape(nint tensor, long* shape, nuint rank);

    [LibraryImport(Library)]
    internal static partial nint OgaTensorGetData(nint tensor, out void* data);

    // Tokenizer.
    [LibraryImport(Library)]
    internal static partial nint OgaCreateTokenizer(OgaModel model, out nint tokenizer);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyTokenizer(nint tokenizer);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaTokenizerEncode(OgaTokenizer tokenizer, string text, OgaSequences sequences);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaTokenizerApplyChatTemplate(OgaTokenizer tokenizer, string? template, string messages, string? tools, [MarshalAs(UnmanagedType.U1)] bool addGenerationPrompt, out nint text);
}

// The Semantic Kernel sample: a kernel with PadKernel as its chat completion service, a prompt function whose
// execution settings come from JSON, the preferences plugin, and two users with their own stored preferences.
//
//   dotnet run --project samples/PadKernel.Samples.SemanticKernel [models-folder]
//
// The story model comes from the models folder given (holding stories260K/), else $PADKERNEL_MODELS, else the copy
// bundled next to the sample.
using PadKernel.Samples.SemanticKernel;

return await StorySample.RunAsync(args.Length > 0 ? args[0] : null, Console.Out);

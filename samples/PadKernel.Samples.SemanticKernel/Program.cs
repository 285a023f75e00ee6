// The Semantic Kernel sample: a kernel with PadKernel as its chat completion service, a prompt function whose
// execution settings come from JSON, the preferences plugin, and two users with their own stored preferences.
//
//   dotnet run --project samples/PadKernel.Samples.SemanticKernel [models-folder]
//
// The models folder (holding stories260K/) comes from the argument, then $PADKERNEL_MODELS.
using PadKernel.Samples.SemanticKernel;

string? models = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("PADKERNEL_MODELS");
return await StorySample.RunAsync(models, Console.Out);

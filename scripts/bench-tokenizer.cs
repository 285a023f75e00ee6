// Times the llama2.c tokenizer on long prompts ("Once upon a time " repeated to the given sizes in kB).
// Usage: dotnet run -c Release scripts/bench-tokenizer.cs -- 160 1000   (the bundled stories260K tokenizer, or $PADKERNEL_MODELS/stories260K)
#:project ../src/PadKernel.Llama2c/PadKernel.Llama2c.csproj
#:property TreatWarningsAsErrors=false
#:property GenerateDocumentationFile=false
using System.Diagnostics;
using System.Text;
using PadKernel.Llama2c;
using PadKernel.Text;

string models = Environment.GetEnvironmentVariable("PADKERNEL_MODELS") ?? Path.Combine(AppContext.BaseDirectory, "..", "models");
var tokenizer = Llama2cTokenizer.Load(Path.Combine(models, "stories260K", "tok512.bin"));
tokenizer.Encode("Once upon a time"); // JIT warm-up
tokenizer.MinimumTokenCount("Once upon a time");
foreach (string arg in args.Length > 0 ? args : ["160", "1000"])
{
    int chars = int.Parse(arg) * 1000;
    var text = new StringBuilder(chars + 17);
    while (text.Length < chars)
    {
        text.Append("Once upon a time ");
    }

    string prompt = text.ToString(0, chars);
    var stopwatch = Stopwatch.StartNew();
    List<int> ids = tokenizer.Encode(prompt);
    double encode = stopwatch.Elapsed.TotalMilliseconds;
    stopwatch.Restart();
    int bound = tokenizer.MinimumTokenCount(prompt);
    double precheck = stopwatch.Elapsed.TotalMilliseconds;
    Console.WriteLine($"{arg} kB: encode {encode:F0} ms ({ids.Count} tokens); MinimumTokenCount {precheck:F2} ms (bound {bound})");
}

using PadKernel.Cli;

return await PadCli.InvokeAsync(args, Console.Out, Console.Error);

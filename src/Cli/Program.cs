using SecureDialogue.Cli;

return await SdlgApp.RunAsync(args, CliContext.FromProcess()).ConfigureAwait(false);

using SecureDialogue.Messaging.Amendments;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Archive.Sealing;
using SecureDialogue.Messaging.Blobs;
using SecureDialogue.Messaging.Dialogue;
using SecureDialogue.Messaging.Directory;
using SecureDialogue.Messaging.Health;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Pages;
using SecureDialogue.Messaging.Pages.Portal;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Publication;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Messaging.Trust;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddHosting(args);
builder.Services.AddPersistence(builder.Configuration);
builder.Services.AddSignIn(builder.Configuration);
builder.Services.AddDirectory();
builder.Services.AddReviews();
builder.Services.AddMechanism();
builder.Services.AddSecretariatPages(builder.Configuration);
builder.Services.AddTrust();
builder.Services.AddAmendments();
builder.Services.AddDialogue(builder.Environment);
builder.Services.AddAttachments(builder.Configuration);
builder.Services.AddArchive(builder.Configuration);
builder.Services.AddSealing(builder.Configuration);
builder.Services.AddPublications(builder.Configuration);

var app = builder.Build();
if (app.ReportInvalidSettings())
{
    return 2;
}

app.UseHosting();
app.UseSignIn();

app.MapHomePage();
app.MapHealthEndpoints();
app.MapDevSignIn();
app.MapDirectoryEndpoints();
app.MapReviewEndpoints();
app.MapMechanismEndpoints();
app.MapSecretariatPages();
app.MapTrustEndpoints();
app.MapAmendmentEndpoints();
app.MapDialogueEndpoints();
app.MapBlobEndpoints();
app.MapArchiveEndpoints();
app.MapSealingEndpoints();
app.MapPublicationEndpoints();
app.MapPublicationPortal();

return await app.RunOrExplainAsync().ConfigureAwait(false);

/// <summary>The server's entry point (public for the integration tests' host factory).</summary>
public partial class Program;

using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>What an entry sent to the API must be; each problem names its field.</summary>
internal static class KnowledgeValidation
{
    public static async Task<Dictionary<string, string[]>> ValidateAsync(KnowledgeApi.KnowledgeBody body, ParleyDb db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Trim().Length > KnowledgeLimits.MaxTitleLength)
        {
            errors["title"] = [$"A title of 1 to {KnowledgeLimits.MaxTitleLength} characters is required."];
        }

        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Trim().Length > KnowledgeLimits.MaxTextLength)
        {
            errors["text"] = [$"A text of 1 to {KnowledgeLimits.MaxTextLength:N0} characters is required."];
        }

        if (body.Questions is { } questions)
        {
            if (questions.Count > KnowledgeLimits.MaxQuestions)
            {
                errors["questions"] = [$"At most {KnowledgeLimits.MaxQuestions} questions."];
            }
            else if (questions.Any(q => string.IsNullOrWhiteSpace(q) || q.Trim().Length > KnowledgeLimits.MaxQuestionLength))
            {
                errors["questions"] = [$"Each question is 1 to {KnowledgeLimits.MaxQuestionLength} characters."];
            }
        }

        if (body.AssistantIds is { Count: > 0 } assistantIds)
        {
            var ids = assistantIds.Distinct().ToList();
            var known = await db.Assistants.CountAsync(a => ids.Contains(a.Id), cancellationToken);
            if (ids.Count > 50 || known != ids.Count)
            {
                errors["assistantIds"] = ["Each assistant must be one of this account's assistants."];
            }
        }

        return errors;
    }
}

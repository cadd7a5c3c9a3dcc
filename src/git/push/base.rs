//! The branch a pull request targets when none is named: what the remote calls its default
//! branch (`refs/remotes/<remote>/HEAD`, as `git clone` and `git remote set-head` record it),
//! else the branch's own upstream when that is another branch, else a local `main` or `master`.

use crate::git::GitRepo;
use gix::bstr::ByteSlice;

impl GitRepo {
    /// The base for a pull request of local `branch` pushed to `remote`; `None` when nothing
    /// says (then it must be named).
    pub fn default_base(&self, remote: &str, branch: &str) -> Option<String> {
        let repo = self.local();
        let remote_head = format!("refs/remotes/{remote}/HEAD");
        if let Ok(Some(reference)) = repo.try_find_reference(remote_head.as_str())
            && let gix::refs::TargetRef::Symbolic(target) = reference.target()
        {
            let prefix = format!("refs/remotes/{remote}/");
            let full = target.as_bstr().to_str_lossy();
            if let Some(name) = full.strip_prefix(&prefix)
                && name != branch
            {
                return Some(name.to_owned());
            }
        }
        if let Some(upstream) = self.upstream_branch(branch).filter(|u| u != branch) {
            return Some(upstream);
        }
        ["main", "master"]
            .into_iter()
            .find(|b| {
                *b != branch
                    && matches!(
                        repo.try_find_reference(format!("refs/heads/{b}").as_str()),
                        Ok(Some(_))
                    )
            })
            .map(str::to_owned)
    }
}

// The frontier report of a campaign: results/search/frontier.md.
#pragma once

#include <string>

#include "search/meta/campaign_state.hpp"

namespace fmm::search::meta {

// The frontier table in Markdown: best known against ours (GF(2), Z, {-1,0,1}, Q) for the 84
// formats n <= m <= p <= 8, time to reach it and how; then every other format the state holds.
std::string frontier_report(const CampaignState& state, const std::string& regenerate_command);

}  // namespace fmm::search::meta

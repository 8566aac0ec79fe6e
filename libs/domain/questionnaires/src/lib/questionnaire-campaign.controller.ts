import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import {
  campaignDetailSchema,
  campaignListQuery,
  campaignPreviewSchema,
  campaignSummarySchema,
  cancelCampaignSchema,
  createCampaignSchema,
  pageOf,
  previewCampaignSchema,
  type Input,
} from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ZodBody, ZodQuery } from '@bulwark/platform';

import { QuestionnaireCampaignService } from './questionnaire-campaign.service.js';

/**
 * Questionnaire campaigns: previewed, created, paused, resumed and cancelled by admins and vendor managers; read
 * by every internal role. Vendor contacts never see campaigns (only their own requests).
 */
@ApiTags('questionnaire-campaigns')
@Controller('questionnaire-campaigns')
export class QuestionnaireCampaignController {
  constructor(private readonly campaigns: QuestionnaireCampaignService) {}

  @Get()
  @Allow('questionnaire_campaign.read')
  @Returns(pageOf(campaignSummarySchema))
  list(@ZodQuery(campaignListQuery) q: Input<typeof campaignListQuery>) {
    return this.campaigns.list(q);
  }

  /** Who the filter targets now, and who is skipped and why; nothing is sent. */
  @Post('preview')
  @Allow('questionnaire_campaign.write')
  @HttpCode(200)
  @Returns(campaignPreviewSchema)
  preview(@ZodBody(previewCampaignSchema) body: Input<typeof previewCampaignSchema>) {
    return this.campaigns.preview(body);
  }

  /** Creates the campaign and sends its first cycle's requests (one per targeted vendor). */
  @Post()
  @Allow('questionnaire_campaign.write')
  @HttpCode(201)
  @Returns(campaignDetailSchema, 201)
  create(@ZodBody(createCampaignSchema) body: Input<typeof createCampaignSchema>) {
    return this.campaigns.create(body);
  }

  @Get(':id')
  @Allow('questionnaire_campaign.read')
  @Returns(campaignDetailSchema)
  get(@IdParam() id: string) {
    return this.campaigns.get(id);
  }

  @Post(':id/pause')
  @Allow('questionnaire_campaign.write')
  @HttpCode(200)
  @Returns(campaignDetailSchema)
  pause(@IdParam() id: string) {
    return this.campaigns.pause(id);
  }

  @Post(':id/resume')
  @Allow('questionnaire_campaign.write')
  @HttpCode(200)
  @Returns(campaignDetailSchema)
  resume(@IdParam() id: string) {
    return this.campaigns.resume(id);
  }

  /** Stops the campaign: no further cycle (requests already sent stay). */
  @Post(':id/cancel')
  @Allow('questionnaire_campaign.write')
  @HttpCode(200)
  @Returns(campaignDetailSchema)
  cancel(@IdParam() id: string, @ZodBody(cancelCampaignSchema) body: Input<typeof cancelCampaignSchema>) {
    return this.campaigns.cancel(id, body.reason);
  }
}
